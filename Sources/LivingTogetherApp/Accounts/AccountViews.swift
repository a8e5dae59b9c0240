import Foundation
import Synchronization
import LivingTogetherCore
import Vapor

enum AccountViews {
    static func signIn(_ ctx: PageContext, email: String, returnTo: String?, errors: FieldErrors, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let main: HTML = """
        <h1>\(t("signIn.title"))</h1>
        \(Form.errorSummary(errors, t))
        <form method="post" action="\(SiteURL.signIn.path)" novalidate>
        \(ctx.csrfField)
        \(HTML.when(returnTo != nil, "<input type=\"hidden\" name=\"return_to\" value=\"\(returnTo ?? "")\">"))
        \(Form.input(.init(name: "email", label: t("field.email"), type: "email", value: email, error: Form.message(errors, "email", t), autocomplete: "username", required: true)))
        \(Form.input(.init(name: "password", label: t("field.password"), type: "password", error: Form.message(errors, "password", t), autocomplete: "current-password", required: true)))
        <div class="actions"><button type="submit">\(t("signIn.button"))</button></div>
        </form>
        <p><a href="\(SiteURL.passwordForgot.path)">\(t("signIn.forgot"))</a></p>
        <p>\(t("signIn.noAccount"))</p>
        <p><a href="\(SiteURL.signUp.path)\(returnTo.map { "?return_to=" + SiteURL.queryValue($0) } ?? "")">\
        \(t("signIn.createAccount"))</a></p>
        """
        return Layout.page(ctx, title: t("signIn.title"), main: main, status: status)
    }

    /// Creating an account: a name and an e-mail address; the password is chosen through the link sent there.
    static func signUp(_ ctx: PageContext, values: [String: String], errors: FieldErrors, status: HTTPStatus = .ok)
        -> Response {
        let t = ctx.t
        let returnTo = values["return_to"] ?? ""
        let main: HTML = """
        <h1>\(t("signUp.title"))</h1>
        <p>\(t("signUp.intro"))</p>
        \(Form.errorSummary(errors, t))
        <form method="post" action="\(SiteURL.signUp.path)" novalidate>
        \(ctx.csrfField)
        \(HTML.when(!returnTo.isEmpty, "<input type=\"hidden\" name=\"return_to\" value=\"\(returnTo)\">"))
        \(Form.input(.init(name: "name", label: t("field.name"), value: values["name"], error: Form.message(errors, "name", t),
                           hint: t("signUp.nameHint"), autocomplete: "name", required: true)))
        \(Form.input(.init(name: "email", label: t("field.email"), type: "email", value: values["email"],
                           error: Form.message(errors, "email", t), autocomplete: "email", required: true)))
        <div class="actions"><button type="submit">\(t("signUp.button"))</button></div>
        </form>
        <p>\(t("signUp.privacy")) <a href="\(SiteURL.privacy.path)">\(t("nav.privacy"))</a></p>
        """
        return Layout.page(ctx, title: t("signUp.title"), main: main, status: status)
    }

    static func forgot(_ ctx: PageContext, email: String, errors: FieldErrors, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let main: HTML = """
        <h1>\(t("forgot.title"))</h1>
        <p>\(t("forgot.intro"))</p>
        \(Form.errorSummary(errors, t))
        <form method="post" action="\(SiteURL.passwordForgot.path)" novalidate>
        \(ctx.csrfField)
        \(Form.input(.init(name: "email", label: t("field.email"), type: "email", value: email, error: Form.message(errors, "email", t), autocomplete: "email", required: true)))
        <div class="actions"><button type="submit">\(t("forgot.button"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: t("forgot.title"), main: main, status: status)
    }

    private static func newPasswordFields(_ ctx: PageContext, _ errors: FieldErrors) -> HTML {
        let t = ctx.t
        return """
        \(Form.input(.init(name: "password", label: t("field.newPassword"), type: "password", error: Form.message(errors, "password", t), hint: t("hint.password", String(AccountRules.minimumPasswordLength)), autocomplete: "new-password", required: true)))
        \(Form.input(.init(name: "password_confirmation", label: t("field.passwordConfirmation"), type: "password", error: Form.message(errors, "password_confirmation", t), autocomplete: "new-password", required: true)))
        """
    }

    static func reset(_ ctx: PageContext, errors: FieldErrors, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let main: HTML = """
        <h1>\(t("reset.title"))</h1>
        \(Form.errorSummary(errors, t))
        <form method="post" action="\(ctx.path)" novalidate>
        \(ctx.csrfField)
        \(newPasswordFields(ctx, errors))
        <div class="actions"><button type="submit">\(t("reset.button"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: t("reset.title"), main: main, status: status)
    }

    /// An expired, used or unknown one-time link.
    static func linkExpired(_ ctx: PageContext, kind: String) -> Response {
        let t = ctx.t
        let main: HTML = """
        <h1>\(t("link.expired.title"))</h1>
        <p>\(t("link.expired.\(kind)"))</p>
        """
        return Layout.page(ctx, title: t("link.expired.title"), main: main, status: .gone)
    }

    static func join(_ ctx: PageContext, invitation: Invitation, hasAccount: Bool, name: String, errors: FieldErrors,
                     status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let signedInAsInvitee = ctx.user?.email == invitation.email
        let fields: HTML
        if signedInAsInvitee {
            fields = "<p>\(t("join.signedIn"))</p>"
        } else if hasAccount {
            fields = """
            <p>\(t("join.existing", invitation.email))</p>
            \(Form.input(.init(name: "password", label: t("field.password"), type: "password", error: Form.message(errors, "password", t), autocomplete: "current-password", required: true)))
            """
        } else {
            fields = """
            <p>\(t("join.new", invitation.email))</p>
            \(Form.input(.init(name: "name", label: t("field.yourName"), value: name, error: Form.message(errors, "name", t), autocomplete: "name", required: true)))
            \(newPasswordFields(ctx, errors))
            """
        }
        let main: HTML = """
        <h1>\(t("join.title", invitation.organisation.name))</h1>
        <p>\(t("join.role", t(invitation.memberRole.labelKey)))</p>
        \(Form.errorSummary(errors, t))
        <form method="post" action="\(ctx.path)" novalidate>
        \(ctx.csrfField)
        \(fields)
        <div class="actions"><button type="submit">\(t("join.button"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: t("join.title", invitation.organisation.name), main: main, status: status)
    }

    static func members(_ ctx: PageContext, org: Organisation, rows: [MembersController.MemberRow], pending: [Invitation], canManage: Bool,
                        inviteEmail: String, inviteRole: Role, errors: FieldErrors, memberErrors: FieldErrors = FieldErrors(),
                        status: HTTPStatus) -> Response {
        let t = ctx.t
        let orgID = org.id ?? 0
        let roleOptions = Role.allCases.map { (value: $0.rawValue, label: t($0.labelKey)) }
        let memberRows = rows.map { r -> HTML in
            // A refused change (the last administrator) is said beside the member's own form.
            let field = "role-\(r.membershipID)", error = Form.message(memberErrors, field, t)
            let manage: HTML = canManage ? """
            <td>\(error.map { "<p class=\"error\" id=\"f-\(field)-error\">\($0)</p>" as HTML })\
            <form method="post" action="\(SiteURL.memberRole(orgID, r.membershipID).path)" class="inline">\(ctx.csrfField)<label class="visually-hidden" for="f-\(field)">\(t("members.roleOf", r.name))</label><select id="f-\(field)" name="role"\(HTML.when(error != nil, " aria-invalid=\"true\" aria-describedby=\"f-\(field)-error\""))>\(Role.allCases.map { "<option value=\"\($0.rawValue)\"\(HTML.when($0 == r.role, " selected"))>\(t($0.labelKey))</option>" as HTML })</select> <button type="submit">\(t("members.changeRole"))</button></form>
            <form method="post" action="\(SiteURL.memberRemove(orgID, r.membershipID).path)" class="inline">\(ctx.csrfField)<button type="submit" class="danger">\(t("members.remove", r.name))</button></form></td>
            """ : .empty
            return "<tr><th scope=\"row\">\(r.name)</th><td>\(r.email)</td><td>\(t(r.role.labelKey))</td>\(manage)</tr>"
        }
        let pendingRows = pending.map { inv -> HTML in
            """
            <tr><td>\(inv.email)</td><td>\(t(inv.memberRole.labelKey))</td><td>\(Self.date(inv.expiresAt, t))</td><td><form method="post" action="\(SiteURL.invitationRevoke(orgID, inv.id).path)" class="inline">\(ctx.csrfField)<button type="submit">\(t("members.revoke", inv.email))</button></form></td></tr>
            """
        }
        let inviteForm: HTML = canManage ? """
        <h2 id="invite">\(t("members.inviteTitle"))</h2>
        \(Form.errorSummary(errors, t))
        <form method="post" action="\(SiteURL.invitations(orgID).path)" novalidate>
        \(ctx.csrfField)
        \(Form.input(.init(name: "email", label: t("field.email"), type: "email", value: inviteEmail, error: Form.message(errors, "email", t), autocomplete: "off", required: true)))
        \(Form.select(name: "role", label: t("field.role"), options: roleOptions, selected: inviteRole.rawValue, error: Form.message(errors, "role", t)))
        <div class="actions"><button type="submit">\(t("members.inviteButton"))</button></div>
        </form>
        \(HTML.when(!pending.isEmpty, """
        <h2>\(t("members.pending"))</h2>
        <table class="list"><thead><tr><th scope="col">\(t("field.email"))</th><th scope="col">\(t("field.role"))</th><th scope="col">\(t("members.expires"))</th><th scope="col">\(t("members.actions"))</th></tr></thead><tbody>\(pendingRows)</tbody></table>
        """))
        """ : .empty
        let main: HTML = """
        <p><a href="\(SiteURL.organisation(orgID).path)">← \(org.name)</a></p>
        <h1>\(t("members.title", org.name))</h1>
        \(Form.errorSummary(memberErrors, t))
        <table class="list">
        <caption>\(t.plural("members.caption", count: Double(rows.count), String(rows.count)))</caption>
        <thead><tr><th scope="col">\(t("field.name"))</th><th scope="col">\(t("field.email"))</th><th scope="col">\(t("field.role"))</th>\(HTML.when(canManage, "<th scope=\"col\">\(t("members.actions"))</th>"))</tr></thead>
        <tbody>\(memberRows)</tbody>
        </table>
        \(inviteForm)
        """
        return Layout.page(ctx, title: t("members.title", org.name), main: main, status: status)
    }

    /// One formatter per language, made once; formatting is serialised because formatters are not
    /// promised to be thread-safe on every platform.
    private static let formatters: Mutex<[Language: DateFormatter]> = Mutex([:])

    static func date(_ d: Date, _ t: Translator) -> String {
        formatters.withLock { all in
            let f = all[t.language] ?? {
                let f = DateFormatter()
                f.locale = Foundation.Locale(identifier: t.language == .nl ? "nl_BE" : "en_GB")
                f.timeZone = TimeZone(identifier: "Europe/Brussels")
                f.dateStyle = .medium
                f.timeStyle = .short
                all[t.language] = f
                return f
            }()
            return f.string(from: d)
        }
    }

    static func account(_ ctx: PageContext, user: CurrentUser, memberships: [AccountController.MembershipRow], tokens: [APIToken],
                        newToken: String?, tokenName: String, errors: FieldErrors, status: HTTPStatus) -> Response {
        let t = ctx.t
        let memberItems = memberships.map { m -> HTML in
            "<li><a href=\"\(SiteURL.organisation(m.organisationID).path)\">\(m.organisationName)</a> — \(t(m.role.labelKey))\(HTML.when(m.role == .admin, " (<a href=\"\(SiteURL.members(m.organisationID).path)\">\(t("account.manageMembers"))</a>)"))</li>"
        }
        let tokenRows = tokens.map { tok -> HTML in
            """
            <tr><th scope="row">\(tok.name)</th><td><code>\(tok.prefix)…</code></td><td>\(tok.createdAt.map { Self.date($0, t) })</td><td>\(tok.lastUsedAt.map { Self.date($0, t) } ?? t("account.neverUsed"))</td>
            <td><form method="post" action="\(SiteURL.accountTokenRevoke(tok.id).path)" class="inline">\(ctx.csrfField)<button type="submit" class="danger">\(t("account.revoke", tok.name))</button></form></td></tr>
            """
        }
        let created: HTML = newToken.map { secret in
            """
            <div class="notice" role="status"><h3>\(t("account.tokenCreated"))</h3><p>\(t("account.tokenOnce"))</p><p><code class="secret">\(secret)</code></p></div>
            """
        } ?? .empty
        let main: HTML = """
        <h1>\(t("account.title"))</h1>
        <p>\(t("account.signedInAs", user.name, user.email))\(HTML.when(user.isPlatformAdmin, " · \(t("account.platformAdmin"))"))</p>
        <h2>\(t("account.memberships"))</h2>
        \(memberships.isEmpty ? HTML("<p>\(t("account.noMemberships"))</p>") : HTML("<ul>\(memberItems)</ul>"))
        <h2 id="tokens">\(t("account.tokens"))</h2>
        <p>\(t("account.tokensIntro"))</p>
        \(created)
        \(HTML.when(!tokens.isEmpty, """
        <table class="list"><thead><tr><th scope="col">\(t("field.name"))</th><th scope="col">\(t("account.tokenStart"))</th><th scope="col">\(t("account.created"))</th><th scope="col">\(t("account.lastUsed"))</th><th scope="col">\(t("members.actions"))</th></tr></thead><tbody>\(tokenRows)</tbody></table>
        """))
        \(Form.errorSummary(errors, t))
        <form method="post" action="\(SiteURL.accountTokens.path)" novalidate>
        \(ctx.csrfField)
        \(Form.input(.init(name: "name", label: t("account.tokenName"), value: tokenName, error: Form.message(errors, "name", t), hint: t("hint.tokenName"), autocomplete: "off", required: true)))
        <div class="actions"><button type="submit">\(t("account.createToken"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: t("account.title"), main: main, status: status)
    }

    static func outbox(_ ctx: PageContext, messages: [OutboxMessage]) -> Response {
        let t = ctx.t
        let items = messages.map { m -> HTML in
            """
            <article class="mail"><h2>\(m.subject)</h2><p>\(t("outbox.to", m.recipient)) · \(m.createdAt.map { date($0, t) })</p><pre>\(m.body)</pre></article>
            """
        }
        let main: HTML = """
        <h1>\(t("outbox.title"))</h1>
        <p>\(t("outbox.intro"))</p>
        \(messages.isEmpty ? HTML("<p>\(t("outbox.empty"))</p>") : HTML.join(items))
        """
        return Layout.page(ctx, title: t("outbox.title"), main: main)
    }
}
