import Fluent
import LivingTogetherCore
import Vapor

/// An organisation's members and invitations, and joining by invitation.
struct MembersController {
    static let invitationLifetime: TimeInterval = 7 * 24 * 3600

    func register(_ routes: any RoutesBuilder) {
        routes.get(.members(nil), use: members)
        routes.post(.invitations(nil), use: invite)
        routes.post(.invitationRevoke(nil, nil), use: revokeInvitation)
        routes.post(.memberRole(nil, nil), use: changeRole)
        routes.post(.memberRemove(nil, nil), use: remove)
        routes.get(.invitation(nil), use: invitationPage)
        routes.post(.invitation(nil), use: accept)
    }

    struct MemberRow { var membershipID: Int; var userID: Int; var name: String; var email: String; var role: Role }

    static func memberRows(of orgID: Int, on db: any Database) async throws -> [MemberRow] {
        try await Membership.query(on: db).filter(\.$organisation.$id == orgID).with(\.$user).all()
            .map { MemberRow(membershipID: $0.id ?? 0, userID: $0.$user.id, name: $0.user.name, email: $0.user.email, role: $0.memberRole) }
            .sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    static func pendingInvitations(of orgID: Int, on db: any Database) async throws -> [Invitation] {
        try await Invitation.query(on: db).filter(\.$organisation.$id == orgID).filter(\.$acceptedAt == nil)
            .filter(\.$revokedAt == nil).filter(\.$expiresAt > Date()).sort(\.$createdAt, .descending).all()
    }

    private func organisation(_ req: Request, _ action: (Int) -> DirectoryPermissions.Action) async throws -> Organisation {
        let id = try req.intParameter("id")
        try req.authorize(action(id))
        guard let org = try await Organisation.find(id, on: req.db) else { throw Abort(.notFound) }
        return org
    }

    @Sendable func members(req: Request) async throws -> Response {
        let org = try await organisation(req) { .viewMembers(organisation: $0) }
        return try await page(req, org: org, inviteEmail: "", inviteRole: .viewer, errors: FieldErrors())
    }

    private func page(_ req: Request, org: Organisation, inviteEmail: String, inviteRole: Role, errors: FieldErrors,
                      memberErrors: FieldErrors = FieldErrors(), status: HTTPStatus = .ok) async throws -> Response {
        let id = try org.requireID()
        let rows = try await Self.memberRows(of: id, on: req.db)
        let canManage = DirectoryPermissions.allows(req.actor, .manageMembers(organisation: id))
        let pending = canManage ? try await Self.pendingInvitations(of: id, on: req.db) : []
        return AccountViews.members(req.page(), org: org, rows: rows, pending: pending, canManage: canManage,
                                    inviteEmail: inviteEmail, inviteRole: inviteRole, errors: errors, memberErrors: memberErrors,
                                    status: status)
    }

    struct InviteForm: Content { var email: String?; var role: String? }

    /// Creates an invitation and mails its one-time link. Used by the page and the API.
    static func createInvitation(org: Organisation, email rawEmail: String, role rawRole: String?, by inviter: CurrentUser,
                                 req: Request) async throws -> Result<Invitation, FieldErrors> {
        let email = AccountRules.normalisedEmail(rawEmail)
        var errors = FieldErrors()
        AccountRules.checkEmail(email, into: &errors)
        let role = Role(rawValue: rawRole ?? "")
        if role == nil { errors.add("role", "error.role.unknown") }
        let orgID = try org.requireID()
        if errors.isEmpty,
           let existing = try await User.query(on: req.db).filter(\.$email == email).first(),
           try await Membership.query(on: req.db).filter(\.$user.$id == existing.id!).filter(\.$organisation.$id == orgID).first() != nil {
            errors.add("email", "error.invite.alreadyMember")
        }
        guard errors.isEmpty, let role else { return .failure(errors) }
        let token = Tokens.random()
        let invitation = Invitation()
        invitation.$organisation.id = orgID
        invitation.email = email
        invitation.role = role.rawValue
        invitation.tokenHash = Tokens.hash(token)
        invitation.$invitedBy.id = inviter.id
        invitation.expiresAt = Date().addingTimeInterval(invitationLifetime)
        let link = req.application.publicURL + SiteURL.invitation(token).path
        let t = req.t
        try await req.db.transaction { tx in
            try await invitation.create(on: tx)
            try await Mailer(db: tx, logger: req.logger).send(
                to: email, subject: t("mail.invite.subject", org.name),
                body: t("mail.invite.body", inviter.name, org.name, t(role.labelKey), link, "7"))
        }
        req.logger.info("invitation sent", metadata: ["organisation": .stringConvertible(orgID), "by": .stringConvertible(inviter.id)])
        return .success(invitation)
    }

    @Sendable func invite(req: Request) async throws -> Response {
        let org = try await organisation(req) { .manageMembers(organisation: $0) }
        let form = try req.content.decode(InviteForm.self)
        switch try await Self.createInvitation(org: org, email: form.email ?? "", role: form.role, by: try req.requireUser(), req: req) {
        case .failure(let errors):
            return try await page(req, org: org, inviteEmail: form.email ?? "", inviteRole: Role(rawValue: form.role ?? "") ?? .viewer,
                                  errors: errors, status: .unprocessableEntity)
        case .success:
            let response = req.redirect(to: SiteURL.members(org.id).path, redirectType: .normal)
            Flash.set("flash.invitationSent", on: response)
            return response
        }
    }

    @Sendable func revokeInvitation(req: Request) async throws -> Response {
        let org = try await organisation(req) { .manageMembers(organisation: $0) }
        let invitationID = try req.intParameter("invitationID")
        guard let invitation = try await Invitation.find(invitationID, on: req.db), invitation.$organisation.id == org.id else { throw Abort(.notFound) }
        invitation.revokedAt = Date()
        try await invitation.save(on: req.db)
        let response = req.redirect(to: SiteURL.members(org.id).path, redirectType: .normal)
        Flash.set("flash.invitationRevoked", on: response)
        return response
    }

    /// Loads a membership of the organisation in the path, refusing one of another organisation.
    private func membership(_ req: Request, org: Organisation) async throws -> Membership {
        let mid = try req.intParameter("membershipID")
        guard let m = try await Membership.find(mid, on: req.db), m.$organisation.id == org.id else { throw Abort(.notFound) }
        return m
    }

    /// True when removing or demoting this membership would leave the organisation without an admin.
    static func isLastAdmin(_ m: Membership, on db: any Database) async throws -> Bool {
        guard m.memberRole == .admin else { return false }
        let admins = try await Membership.query(on: db).filter(\.$organisation.$id == m.$organisation.id).filter(\.$role == Role.admin.rawValue).count()
        return admins <= 1
    }

    /// The members page again, the refusal beside the last administrator's own form (409: the organisation's state).
    private func lastAdmin(_ req: Request, org: Organisation, _ m: Membership) async throws -> Response {
        var e = FieldErrors()
        e.add("role-\(m.id ?? 0)", "error.member.lastAdmin")
        return try await page(req, org: org, inviteEmail: "", inviteRole: .viewer, errors: FieldErrors(), memberErrors: e,
                              status: .conflict)
    }

    @Sendable func changeRole(req: Request) async throws -> Response {
        let org = try await organisation(req) { .manageMembers(organisation: $0) }
        let m = try await membership(req, org: org)
        struct Form: Content { var role: String? }
        guard let role = Role(rawValue: try req.content.decode(Form.self).role ?? "") else { throw Abort(.unprocessableEntity, reason: "error.role.unknown") }
        if role != .admin, try await Self.isLastAdmin(m, on: req.db) { return try await lastAdmin(req, org: org, m) }
        m.role = role.rawValue
        try await m.save(on: req.db)
        let response = req.redirect(to: SiteURL.members(org.id).path, redirectType: .normal)
        Flash.set("flash.roleChanged", on: response)
        return response
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let org = try await organisation(req) { .manageMembers(organisation: $0) }
        let m = try await membership(req, org: org)
        if try await Self.isLastAdmin(m, on: req.db) { return try await lastAdmin(req, org: org, m) }
        try await m.delete(on: req.db)
        let response = req.redirect(to: SiteURL.members(org.id).path, redirectType: .normal)
        Flash.set("flash.memberRemoved", on: response)
        return response
    }

    // MARK: joining

    private func usableInvitation(_ req: Request) async throws -> Invitation? {
        guard let token = req.parameters.get("token"),
              let inv = try await Invitation.query(on: req.db).filter(\.$tokenHash == Tokens.hash(token)).with(\.$organisation).first(),
              inv.isUsable(at: Date()) else { return nil }
        return inv
    }

    @Sendable func invitationPage(req: Request) async throws -> Response {
        guard let inv = try await usableInvitation(req) else { return AccountViews.linkExpired(req.page(), kind: "invitation") }
        let hasAccount = try await User.query(on: req.db).filter(\.$email == inv.email).first() != nil
        return AccountViews.join(req.page(), invitation: inv, hasAccount: hasAccount, name: "", errors: FieldErrors())
    }

    @Sendable func accept(req: Request) async throws -> Response {
        guard let inv = try await usableInvitation(req) else { return AccountViews.linkExpired(req.page(), kind: "invitation") }
        struct Form: Content { var name: String?; var password: String?; var password_confirmation: String? }
        let form = try req.content.decode(Form.self)
        let existing = try await User.query(on: req.db).filter(\.$email == inv.email).first()
        var errors = FieldErrors()
        var newUser: User? = nil
        if let existing {
            // An existing account joins only when its owner is signed in, or proves it with the password.
            if req.currentUser?.id != existing.id {
                let ok = (try? await req.password.async.verify(form.password ?? "", created: existing.passwordHash)) ?? false
                if !ok { errors.add("password", "error.signIn.failed") }
            }
        } else {
            let name = (form.name ?? "").trimmingWhitespace()
            AccountRules.checkName(name, into: &errors)
            AccountRules.checkNewPassword(form.password ?? "", confirmation: form.password_confirmation ?? "", into: &errors)
            if errors.isEmpty {
                newUser = User(email: inv.email, name: name, passwordHash: try await req.password.async.hash(form.password ?? ""))
                newUser?.language = req.language.rawValue
            }
        }
        guard errors.isEmpty else {
            return AccountViews.join(req.page(), invitation: inv, hasAccount: existing != nil, name: form.name ?? "", errors: errors,
                                     status: .unprocessableEntity)
        }
        let orgID = inv.$organisation.id
        let joining = existing ?? newUser!
        let userID: Int = try await req.db.transaction { tx in
            // Marked used first, inside the transaction: a link works once, even when clicked twice at once.
            try await Invitation.query(on: tx).filter(\.$id == inv.id!).filter(\.$acceptedAt == nil)
                .set(\.$acceptedAt, to: Date()).update()
            let user = joining
            if user.id == nil { try await user.create(on: tx) }
            let uid = user.id!
            if try await Membership.query(on: tx).filter(\.$user.$id == uid).filter(\.$organisation.$id == orgID).first() == nil {
                try await Membership(userID: uid, organisationID: orgID, role: inv.memberRole).create(on: tx)
            }
            return uid
        }
        let response = req.redirect(to: SiteURL.organisation(orgID).path, redirectType: .normal)
        if req.currentUser?.id != userID {
            try await SessionAuthenticator.signIn(userID: userID, request: req, response: response)
        }
        Flash.set("flash.invitationAccepted", on: response)
        return response
    }
}
