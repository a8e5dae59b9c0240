import Fluent
import LivingTogetherCore
import Vapor
import Synchronization

/// Signing in and out, and resetting a forgotten password.
struct SignInController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.signIn, use: signInForm)
        routes.post(.signIn, use: signIn)
        routes.post(.signOut, use: signOut)
        routes.get(.passwordForgot, use: forgotForm)
        routes.post(.passwordForgot, use: forgot)
        routes.get(.passwordReset(nil), use: resetForm)
        routes.post(.passwordReset(nil), use: reset)
        routes.get(.signUp, use: signUpForm)
        routes.post(.signUp, use: signUp)
    }

    // MARK: creating an account (residents who take part in activities)

    /// How long the link of a new account's first password works.
    static let welcomeLifetime: TimeInterval = 24 * 3600
    static let signUpMessagesPerHour = 3

    @Sendable func signUpForm(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.account.path) }
        let returnTo = try? req.query.get(String.self, at: "return_to")
        return AccountViews.signUp(req.page(), values: ["return_to": returnTo ?? ""], errors: FieldErrors())
    }

    /// A new account without a password: the e-mail sent to the address holds a link to choose one, so that only the
    /// owner of the address can use the account. An address that has an account already gets a link to choose a new
    /// password instead; the page answers the same either way, so that it does not tell who has an account.
    @Sendable func signUp(req: Request) async throws -> Response {
        struct Form: Content { var name: String?; var email: String?; var return_to: String? }
        let form = try req.content.decode(Form.self)
        let email = AccountRules.normalisedEmail(form.email ?? "")
        let name = (form.name ?? "").trimmingWhitespace()
        var errors = FieldErrors()
        AccountRules.checkName(name, into: &errors)
        AccountRules.checkEmail(email, into: &errors)
        guard errors.isEmpty else {
            return AccountViews.signUp(req.page(), values: ["name": form.name ?? "", "email": form.email ?? "",
                                                            "return_to": form.return_to ?? ""],
                                       errors: errors, status: .unprocessableEntity)
        }
        let t = req.t
        let token = Tokens.random()
        let continueAt = Self.safeReturn(form.return_to)
        let link = req.application.publicURL + SiteURL.passwordReset(token).path
        let dummy = try DummyHash.value(cost: req.application.settings.bcryptCost)
        // At most a few messages to one address an hour, so that the form cannot be used to flood someone's mailbox;
        // the page answers the same.
        let recent = try await OutboxMessage.query(on: req.db).filter(\.$recipient == email)
            .filter(\.$createdAt > Date().addingTimeInterval(-3600)).count()
        if recent >= Self.signUpMessagesPerHour {
            req.logger.notice("account asked for too often", metadata: ["messages": .stringConvertible(recent)])
        } else {
            try await req.db.transaction { tx in
                let mailer = Mailer(db: tx, logger: req.logger)
                let reset = PasswordReset()
                reset.tokenHash = Tokens.hash(token)
                if let existing = try await User.query(on: tx).filter(\.$email == email).first(), let id = existing.id {
                    reset.$user.id = id
                    reset.expiresAt = Date().addingTimeInterval(Self.resetLifetime)
                    try await reset.create(on: tx)
                    try await mailer.send(to: existing.email, subject: t("mail.signUpExisting.subject"),
                                          body: t("mail.signUpExisting.body", existing.name, link, "60"))
                } else {
                    let user = User(email: email, name: name, passwordHash: dummy)
                    user.language = req.language.rawValue
                    try await user.create(on: tx)
                    reset.$user.id = try user.requireID()
                    reset.expiresAt = Date().addingTimeInterval(Self.welcomeLifetime)
                    try await reset.create(on: tx)
                    try await mailer.send(to: email, subject: t("mail.signUp.subject"),
                                          body: t("mail.signUp.body", name, link, req.application.publicURL + continueAt))
                }
            }
        }
        req.logger.info("account asked for")
        let signIn = continueAt == SiteURL.account.path ? SiteURL.signIn.path
            : SiteURL.signIn.path + "?return_to=" + SiteURL.queryValue(continueAt)
        let response = req.redirect(to: signIn, redirectType: .normal)
        Flash.set("flash.signUpSent", on: response)
        return response
    }

    struct SignInForm: Content { var email: String?; var password: String?; var return_to: String? }

    /// Only paths of this site are followed after signing in.
    static func safeReturn(_ raw: String?) -> String {
        // A path of this site only: no scheme, no host ("//x"), no backslash, no control characters or
        // spaces (browsers drop a tab in "/\t/evil.example" and read "//evil.example").
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"),
              !raw.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0.properties.isWhitespace })
        else { return SiteURL.account.path }
        return raw
    }

    /// Where a sign-in without a page to return to lands: the profile of the person's organisation (a municipality
    /// first), which leads to its assessments, plan and programmes; the account page for someone without one.
    static func landing(_ userID: Int, on db: any Database) async throws -> String {
        let memberships = try await Membership.query(on: db).filter(\.$user.$id == userID).with(\.$organisation).all()
        let first = memberships.sorted {
            ($0.organisation.organisationKind == .municipality ? 0 : 1, $0.organisation.name)
                < ($1.organisation.organisationKind == .municipality ? 0 : 1, $1.organisation.name)
        }.first
        return first.map { SiteURL.organisation($0.$organisation.id).path } ?? SiteURL.account.path
    }

    @Sendable func signInForm(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.account.path) }
        let returnTo = try? req.query.get(String.self, at: "return_to")
        return AccountViews.signIn(req.page(), email: "", returnTo: returnTo, errors: FieldErrors())
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let email = AccountRules.normalisedEmail(form.email ?? "")
        let password = form.password ?? ""
        var errors = FieldErrors()
        AccountRules.checkEmail(email, into: &errors)
        if password.isEmpty { errors.add("password", "error.password.missing") }
        guard errors.isEmpty else {
            return AccountViews.signIn(req.page(), email: form.email ?? "", returnTo: form.return_to, errors: errors, status: .unprocessableEntity)
        }
        let s = req.application.settings.signInLimit
        let limit = SignInLimit(maxFailuresPerAccount: s.perAccount, maxFailuresPerAddress: s.perAddress, window: s.windowSeconds)
        let address = req.clientAddress
        let since = Date().addingTimeInterval(-limit.window)
        let accountFailures = try await SignInAttempt.query(on: req.db).filter(\.$email == email).filter(\.$succeeded == false)
            .filter(\.$at > since).count()
        let addressFailures = try await SignInAttempt.query(on: req.db).filter(\.$address == address).filter(\.$succeeded == false)
            .filter(\.$at > since).count()
        switch limit.decide(recentAccountFailures: accountFailures, recentAddressFailures: addressFailures) {
        case .allowed: break
        case .lockedAccount, .lockedAddress:
            req.logger.warning("sign-in refused by the rate limit", metadata: ["email": .string(email), "address": .string(address)])
            errors.add("email", "error.signIn.limited", [String(Int(limit.window / 60))])
            let response = AccountViews.signIn(req.page(), email: form.email ?? "", returnTo: form.return_to, errors: errors, status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(limit.window)))
            return response
        }
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        // The hash is checked even when the account does not exist, so timing does not tell which accounts exist.
        let hash = try user?.passwordHash ?? DummyHash.value(cost: req.application.settings.bcryptCost)
        let ok = (try? await req.password.async.verify(password, created: hash)) ?? false
        try await SignInAttempt(email: email, address: address, succeeded: ok && user != nil, at: Date()).create(on: req.db)
        guard ok, let user, let userID = user.id else {
            errors.add("email", "error.signIn.failed")
            return AccountViews.signIn(req.page(), email: form.email ?? "", returnTo: form.return_to, errors: errors, status: .unauthorized)
        }
        let next = (form.return_to ?? "").isEmpty ? try await Self.landing(userID, on: req.db) : Self.safeReturn(form.return_to)
        let response = req.redirect(to: next, redirectType: .normal)
        try await SessionAuthenticator.signIn(userID: userID, request: req, response: response)
        Flash.set("flash.signedIn", on: response)
        req.logger.info("signed in", metadata: ["user": .stringConvertible(userID)])
        return response
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        let response = req.redirect(to: SiteURL.home.path, redirectType: .normal)
        try await SessionAuthenticator.signOut(request: req, response: response)
        Flash.set("flash.signedOut", on: response)
        return response
    }

    // MARK: password reset

    static let resetLifetime: TimeInterval = 3600

    @Sendable func forgotForm(req: Request) async throws -> Response {
        AccountViews.forgot(req.page(), email: "", errors: FieldErrors())
    }

    @Sendable func forgot(req: Request) async throws -> Response {
        struct Form: Content { var email: String? }
        let form = try req.content.decode(Form.self)
        let email = AccountRules.normalisedEmail(form.email ?? "")
        var errors = FieldErrors()
        AccountRules.checkEmail(email, into: &errors)
        guard errors.isEmpty else { return AccountViews.forgot(req.page(), email: form.email ?? "", errors: errors, status: .unprocessableEntity) }
        // The same answer whether or not the account exists, so the form does not reveal who has one.
        if let user = try await User.query(on: req.db).filter(\.$email == email).first(), let userID = user.id {
            let token = Tokens.random()
            let reset = PasswordReset()
            reset.$user.id = userID
            reset.tokenHash = Tokens.hash(token)
            reset.expiresAt = Date().addingTimeInterval(Self.resetLifetime)
            let t = Translator(user.language.flatMap(Language.init(rawValue:)) ?? req.language)
            let link = req.application.publicURL + SiteURL.passwordReset(token).path
            try await req.db.transaction { tx in
                try await reset.create(on: tx)
                try await Mailer(db: tx, logger: req.logger).send(to: user.email, subject: t("mail.reset.subject"),
                                                                 body: t("mail.reset.body", user.name, link, "60"))
            }
        }
        let response = req.redirect(to: SiteURL.signIn.path, redirectType: .normal)
        Flash.set("flash.passwordResetSent", on: response)
        return response
    }

    private func usableReset(_ req: Request) async throws -> PasswordReset? {
        guard let token = req.parameters.get("token") else { return nil }
        guard let reset = try await PasswordReset.query(on: req.db).filter(\.$tokenHash == Tokens.hash(token)).first(),
              reset.usedAt == nil, reset.expiresAt > Date() else { return nil }
        return reset
    }

    @Sendable func resetForm(req: Request) async throws -> Response {
        guard try await usableReset(req) != nil else { return AccountViews.linkExpired(req.page(), kind: "reset") }
        return AccountViews.reset(req.page(), errors: FieldErrors())
    }

    @Sendable func reset(req: Request) async throws -> Response {
        struct Form: Content { var password: String?; var password_confirmation: String? }
        guard let reset = try await usableReset(req) else { return AccountViews.linkExpired(req.page(), kind: "reset") }
        let form = try req.content.decode(Form.self)
        var errors = FieldErrors()
        AccountRules.checkNewPassword(form.password ?? "", confirmation: form.password_confirmation ?? "", into: &errors)
        guard errors.isEmpty else { return AccountViews.reset(req.page(), errors: errors, status: .unprocessableEntity) }
        let hash = try await req.password.async.hash(form.password ?? "")
        let userID = reset.$user.id
        try await req.db.transaction { tx in
            guard let user = try await User.find(userID, on: tx) else { throw Abort(.notFound) }
            user.passwordHash = hash
            try await user.save(on: tx)
            reset.usedAt = Date()
            try await reset.save(on: tx)
            // Any other reset link of the account that was not used stops working too.
            try await PasswordReset.query(on: tx).filter(\.$user.$id == userID).filter(\.$usedAt == nil)
                .set(\.$usedAt, to: Date()).update()
            // Every session of the account ends: whoever knew the old password is signed out.
            try await SessionRow.query(on: tx).filter(\.$user.$id == userID).delete()
        }
        let response = req.redirect(to: SiteURL.signIn.path, redirectType: .normal)
        Flash.set("flash.passwordChanged", on: response)
        return response
    }
}

/// A bcrypt hash of nothing anyone knows, at the configured cost, made once per process.
enum DummyHash {
    private static let cache = Mutex<String?>(nil)
    static func value(cost: Int) throws -> String {
        if let v = cache.withLock({ $0 }) { return v }
        let v = try Bcrypt.hash(Tokens.random(), cost: cost)
        cache.withLock { $0 = v }
        return v
    }
}
