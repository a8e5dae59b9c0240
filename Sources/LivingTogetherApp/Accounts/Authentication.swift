import Fluent
import SQLKit
import LivingTogetherCore
import Vapor

/// Who made a request, found once per request by `SessionAuthenticator` (pages) or
/// `BearerAuthenticator` (API).
struct CurrentUser: Sendable {
    let id: Int
    let email: String
    let name: String
    let isPlatformAdmin: Bool
    /// The language the person chose last (nil until they switch).
    let language: String?
    let roles: [Int: Role]
    let kinds: [Int: OrganisationKind]
    /// The hash of the session key, when signed in by the browser.
    let sessionKeyHash: String?

    var actor: Actor { Actor(userID: id, isPlatformAdmin: isPlatformAdmin, roles: roles, kinds: kinds) }
}

private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }

extension Request {
    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }
    var actor: Actor { currentUser?.actor ?? .anonymous }

    /// The signed-in user, or a redirect to the sign-in page (pages) / 401 (API).
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw Abort(.unauthorized) }
        return user
    }

    /// Refuses with 403 unless the actor may do the action.
    func authorize(_ action: DirectoryPermissions.Action) throws {
        guard currentUser != nil || action == .viewPublicProfile else { throw Abort(.unauthorized) }
        guard DirectoryPermissions.allows(actor, action) else { throw Abort(.forbidden) }
    }

    /// The client's address; behind a trusted proxy, the first address of X-Forwarded-For.
    var clientAddress: String {
        if application.settings.trustProxy, let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }

    /// True when the browser reached us over TLS (directly or through a trusted proxy).
    var isSecure: Bool {
        if application.settings.publicURLIsTLS { return true }
        if application.settings.trustProxy, headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https" { return true }
        return url.scheme == "https"
    }
}

struct DropSessionCookieKey: StorageKey { typealias Value = Bool }

enum SessionCookie {
    static let name = "lt_session"
    static let lifetime: TimeInterval = 14 * 24 * 3600
}

enum UserLoader {
    static func load(userID: Int, sessionKeyHash: String?, on db: any Database) async throws -> CurrentUser? {
        guard let user = try await User.find(userID, on: db) else { return nil }
        let memberships = try await Membership.query(on: db).filter(\.$user.$id == userID).with(\.$organisation).all()
        var roles: [Int: Role] = [:]
        var kinds: [Int: OrganisationKind] = [:]
        for m in memberships {
            roles[m.$organisation.id] = m.memberRole
            kinds[m.$organisation.id] = m.organisation.organisationKind
        }
        return CurrentUser(id: userID, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin,
                           language: user.language, roles: roles, kinds: kinds, sessionKeyHash: sessionKeyHash)
    }
}

extension UserLoader {
    /// The session's user with their memberships and the session's expiry, in one query (a signed-in page
    /// pays for one round trip to the database, not four).
    static func load(sessionKeyHash hash: String, on db: any Database) async throws -> (CurrentUser, Date)? {
        guard let sql = db as? any SQLDatabase else { return nil }
        let rows = try await sql.raw("""
            SELECT s.expires_at AS expires_at, u.id AS id, u.email AS email, u.name AS name, u.is_platform_admin AS is_platform_admin,
                   u.language AS language, m.organisation_id AS organisation_id, m.role AS role, o.kind AS kind
            FROM sessions s JOIN users u ON u.id = s.user_id
            LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN organisations o ON o.id = m.organisation_id
            WHERE s.key_hash = \(bind: hash)
            """).all(decoding: UserRow.self)
        guard let first = rows.first, let user = user(from: rows, sessionKeyHash: hash) else { return nil }
        return (user, first.expires_at ?? .distantPast)
    }

    /// The user of a live API token with their memberships, and the token's id and last use, in one query.
    static func load(tokenHash hash: String, on db: any Database) async throws -> (CurrentUser, tokenID: Int, lastUsed: Date?)? {
        guard let sql = db as? any SQLDatabase else { return nil }
        let rows = try await sql.raw("""
            SELECT t.id AS token_id, t.last_used_at AS last_used_at, u.id AS id, u.email AS email, u.name AS name,
                   u.is_platform_admin AS is_platform_admin, u.language AS language, m.organisation_id AS organisation_id, m.role AS role, o.kind AS kind
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN organisations o ON o.id = m.organisation_id
            WHERE t.token_hash = \(bind: hash) AND t.revoked_at IS NULL
            """).all(decoding: UserRow.self)
        guard let first = rows.first, let tokenID = first.token_id, let user = user(from: rows, sessionKeyHash: nil) else { return nil }
        return (user, tokenID, first.last_used_at)
    }

    struct UserRow: Decodable {
        var expires_at: Date?; var token_id: Int?; var last_used_at: Date?
        var id: Int; var email: String; var name: String; var is_platform_admin: Bool; var language: String?
        var organisation_id: Int?; var role: String?; var kind: String?
    }

    static func user(from rows: [UserRow], sessionKeyHash: String?) -> CurrentUser? {
        guard let first = rows.first else { return nil }
        var roles: [Int: Role] = [:]
        var kinds: [Int: OrganisationKind] = [:]
        for r in rows {
            guard let org = r.organisation_id, let role = r.role.flatMap(Role.init(rawValue:)) else { continue }
            roles[org] = role
            kinds[org] = r.kind.flatMap(OrganisationKind.init(rawValue:)) ?? .municipality
        }
        return CurrentUser(id: first.id, email: first.email, name: first.name, isPlatformAdmin: first.is_platform_admin,
                           language: first.language, roles: roles, kinds: kinds, sessionKeyHash: sessionKeyHash)
    }
}

/// Finds the signed-in user from the session cookie. Requests without the cookie touch no database.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let key = request.cookies[SessionCookie.name]?.string, !key.isEmpty {
            let hash = Tokens.hash(key)
            if let (user, expiresAt) = try await UserLoader.load(sessionKeyHash: hash, on: request.db) {
                if expiresAt > Date() {
                    request.currentUser = user
                    // Sliding expiry, written at most once a day per session.
                    if expiresAt.timeIntervalSinceNow < SessionCookie.lifetime - 24 * 3600 {
                        try await SessionRow.query(on: request.db).filter(\.$id == hash)
                            .set(\.$expiresAt, to: Date().addingTimeInterval(SessionCookie.lifetime)).update()
                    }
                } else {
                    try await SessionRow.query(on: request.db).filter(\.$id == hash).delete()
                }
            }
            if request.currentUser == nil {
                // Dropped by `SecurityHeadersMiddleware`, outside the error pages, so that every answer drops it.
                request.storage[DropSessionCookieKey.self] = true
            }
        }
        return try await next.respond(to: request)
    }

    /// Starts a session for the user and sets its cookie on the response.
    static func signIn(userID: Int, request: Request, response: Response) async throws {
        let key = Tokens.random()
        try await SessionRow(keyHash: Tokens.hash(key), userID: userID, expiresAt: Date().addingTimeInterval(SessionCookie.lifetime))
            .create(on: request.db)
        response.cookies[SessionCookie.name] = HTTPCookies.Value(
            string: key, maxAge: Int(SessionCookie.lifetime), path: "/", isSecure: request.isSecure, isHTTPOnly: true, sameSite: .lax)
    }

    static func signOut(request: Request, response: Response) async throws {
        if let hash = request.currentUser?.sessionKeyHash {
            try await SessionRow.query(on: request.db).filter(\.$id == hash).delete()
        }
        response.cookies[SessionCookie.name] = .expired
    }
}

/// Finds the user of an API request from its bearer token. API routes never read the session cookie,
/// so a page on another site cannot make a browser call them with the user's rights.
struct BearerAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            let hash = Tokens.hash(bearer.token)
            guard let (user, tokenID, lastUsed) = try await UserLoader.load(tokenHash: hash, on: request.db) else {
                throw Abort(.unauthorized, reason: "The bearer token is unknown or has been revoked.")
            }
            request.currentUser = user
            // The last use, written at most once a minute per token.
            if (lastUsed?.timeIntervalSinceNow ?? -3600) < -60 {
                try await APIToken.query(on: request.db).filter(\.$id == tokenID).set(\.$lastUsedAt, to: Date()).update()
            }
        }
        return try await next.respond(to: request)
    }
}
