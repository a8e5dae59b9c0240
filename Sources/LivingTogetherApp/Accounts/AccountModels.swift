import Fluent
import LivingTogetherCore
import Vapor

final class User: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "is_platform_admin") var isPlatformAdmin: Bool
    @OptionalField(key: "language") var language: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(email: String, name: String, passwordHash: String, isPlatformAdmin: Bool = false) {
        self.email = email; self.name = name; self.passwordHash = passwordHash; self.isPlatformAdmin = isPlatformAdmin
    }
}

final class Membership: Model, @unchecked Sendable {
    static let schema = "memberships"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Parent(key: "organisation_id") var organisation: Organisation
    @Field(key: "role") var role: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(userID: Int, organisationID: Int, role: Role) {
        self.$user.id = userID; self.$organisation.id = organisationID; self.role = role.rawValue
    }
    var memberRole: Role { Role(rawValue: role) ?? .viewer }
}

final class Invitation: Model, @unchecked Sendable {
    static let schema = "invitations"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "organisation_id") var organisation: Organisation
    @Field(key: "email") var email: String
    @Field(key: "role") var role: String
    /// SHA-256 of the link's token: the token itself is only in the e-mail.
    @Field(key: "token_hash") var tokenHash: String
    @OptionalParent(key: "invited_by_id") var invitedBy: User?
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    var memberRole: Role { Role(rawValue: role) ?? .viewer }
    func isUsable(at now: Date) -> Bool { acceptedAt == nil && revokedAt == nil && expiresAt > now }
}

final class PasswordReset: Model, @unchecked Sendable {
    static let schema = "password_resets"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox_messages"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(recipient: String, subject: String, body: String) { self.recipient = recipient; self.subject = subject; self.body = body }
}

final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    /// The first characters of the token, shown so that its owner can tell tokens apart.
    @Field(key: "prefix") var prefix: String
    @Field(key: "token_hash") var tokenHash: String
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class SignInAttempt: Model, @unchecked Sendable {
    static let schema = "sign_in_attempts"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "email") var email: String
    @Field(key: "address") var address: String
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "at") var at: Date
    init() {}
    init(email: String, address: String, succeeded: Bool, at: Date) {
        self.email = email; self.address = address; self.succeeded = succeeded; self.at = at
    }
}

/// A browser session, kept in the database so that every app process serving the same database
/// knows it. Only the SHA-256 of the cookie's token is stored.
final class SessionRow: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(custom: "key_hash", generatedBy: .user) var id: String?
    @Parent(key: "user_id") var user: User
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(keyHash: String, userID: Int, expiresAt: Date) { self.id = keyHash; self.$user.id = userID; self.expiresAt = expiresAt }
}
