import Fluent
import LivingTogetherCore
import Vapor

/// The signed-in person's own page: memberships and API tokens. And the platform administrator's outbox.
struct AccountController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.account, use: account)
        routes.post(.accountTokens, use: createToken)
        routes.post(.accountTokenRevoke(nil), use: revokeToken)
        routes.get(.adminOutbox, use: outbox)
        routes.post(.language, use: language)
    }

    struct MembershipRow { var organisationID: Int; var organisationName: String; var role: Role }

    private func render(_ req: Request, newToken: String? = nil, tokenName: String = "", errors: FieldErrors = FieldErrors(),
                        status: HTTPStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let memberships = try await Membership.query(on: req.db).filter(\.$user.$id == user.id).with(\.$organisation).all()
            .map { MembershipRow(organisationID: $0.$organisation.id, organisationName: $0.organisation.name, role: $0.memberRole) }
        let tokens = try await APIToken.query(on: req.db).filter(\.$user.$id == user.id).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all()
        return AccountViews.account(req.page(), user: user, memberships: memberships, tokens: tokens, newToken: newToken,
                                    tokenName: tokenName, errors: errors, status: status)
    }

    @Sendable func account(req: Request) async throws -> Response { try await render(req) }

    @Sendable func createToken(req: Request) async throws -> Response {
        let user = try req.requireUser()
        struct Form: Content { var name: String? }
        let name = (try req.content.decode(Form.self).name ?? "").trimmingWhitespace()
        var errors = FieldErrors()
        if name.isEmpty { errors.add("name", "error.token.name") }
        else if name.count > 80 { errors.add("name", "error.text.long", ["80"]) }
        guard errors.isEmpty else { return try await render(req, tokenName: name, errors: errors, status: .unprocessableEntity) }
        let secret = "lt_" + Tokens.random()
        let token = APIToken()
        token.$user.id = user.id
        token.name = name
        token.prefix = String(secret.prefix(10))
        token.tokenHash = Tokens.hash(secret)
        try await token.create(on: req.db)
        // The token is shown once, on this answer only; the database keeps its hash.
        return try await render(req, newToken: secret, status: .created)
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let id = try req.intParameter("tokenID")
        guard let token = try await APIToken.find(id, on: req.db), token.$user.id == user.id else { throw Abort(.notFound) }
        token.revokedAt = Date()
        try await token.save(on: req.db)
        let response = req.redirect(to: SiteURL.account.path, redirectType: .normal)
        Flash.set("flash.tokenRevoked", on: response)
        return response
    }

    @Sendable func outbox(req: Request) async throws -> Response {
        try req.authorize(.administerPlatform)
        let messages = try await OutboxMessage.query(on: req.db).sort(\.$id, .descending).limit(50).all()
        return AccountViews.outbox(req.page(), messages: messages)
    }

    /// Remembers the chosen language in a cookie (and on the account) and goes back where the user was.
    @Sendable func language(req: Request) async throws -> Response {
        struct Form: Content { var language: String?; var return_to: String? }
        let form = try req.content.decode(Form.self)
        guard let lang = Language(rawValue: form.language ?? "") else { throw Abort(.badRequest, reason: "error.language.unknown") }
        let back = SignInController.safeReturn(form.return_to ?? "/")
        let response = req.redirect(to: back, redirectType: .normal)
        response.cookies[LanguageCookie.name] = HTTPCookies.Value(string: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                                                  isSecure: req.isSecure, isHTTPOnly: true, sameSite: .lax)
        if let user = req.currentUser {
            try await User.query(on: req.db).filter(\.$id == user.id).set(\.$language, to: lang.rawValue).update()
        }
        return response
    }
}
