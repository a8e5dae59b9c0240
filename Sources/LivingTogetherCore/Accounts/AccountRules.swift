import Foundation

/// Field errors keyed by field name, with a message key and its arguments, so that the web layer can
/// show each beside its field in the user's language.
public struct FieldErrors: Error, Sendable, Equatable {
    public struct Message: Sendable, Equatable {
        public var key: String
        public var arguments: [String]
        public init(_ key: String, _ arguments: [String] = []) { self.key = key; self.arguments = arguments }
    }
    public private(set) var byField: [String: Message] = [:]
    /// Fields in the order their errors were found, which is the order of the form.
    public private(set) var fields: [String] = []
    public init() {}
    public var isEmpty: Bool { byField.isEmpty }
    public subscript(field: String) -> Message? { byField[field] }
    /// Each field with its message, in the order of the form.
    public var entries: [(field: String, message: Message)] { fields.compactMap { f in byField[f].map { (f, $0) } } }
    /// Adds every error of `other`, its field names passed through `rename`.
    public mutating func add(_ other: FieldErrors, rename: (String) -> String = { $0 }) {
        for (f, m) in other.entries { add(rename(f), m.key, m.arguments) }
    }
    public mutating func add(_ field: String, _ key: String, _ arguments: [String] = []) {
        if byField[field] == nil { byField[field] = Message(key, arguments); fields.append(field) }
    }
}

public extension FieldErrors {
    /// The same errors with the named fields first, in the given order (the order of the form), the rest after.
    func ordered(_ order: [String]) -> FieldErrors {
        var out = FieldErrors()
        for f in order { if let m = byField[f] { out.add(f, m.key, m.arguments) } }
        for (f, m) in entries { out.add(f, m.key, m.arguments) }
        return out
    }

    /// A date that could not be read: "enter a date" when nothing was typed, else the typed text that is not a date.
    mutating func addUnreadableDate(_ field: String, _ typed: String) {
        let t = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { add(field, "error.date.missing") } else { add(field, "error.date.invalid", [String(t.prefix(40))]) }
    }
}

public enum AccountRules {
    public static let minimumPasswordLength = 10
    public static let maximumPasswordLength = 72 // bcrypt reads at most 72 bytes

    public static func normalisedEmail(_ raw: String) -> String { raw.trimmingWhitespace().lowercased() }

    public static func isValidEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              email.count <= 254, !email.contains(where: { $0.isWhitespace }) else { return false }
        return true
    }

    public static func checkEmail(_ email: String, into errors: inout FieldErrors, field: String = "email") {
        if email.isEmpty { errors.add(field, "error.email.missing") }
        else if !isValidEmail(email) { errors.add(field, "error.email.invalid") }
    }

    public static func checkNewPassword(_ password: String, confirmation: String?, into errors: inout FieldErrors) {
        if password.utf8.count < minimumPasswordLength {
            errors.add("password", "error.password.short", [String(minimumPasswordLength)])
        } else if password.utf8.count > maximumPasswordLength {
            errors.add("password", "error.password.long", [String(maximumPasswordLength)])
        }
        if let confirmation, confirmation != password { errors.add("password_confirmation", "error.password.mismatch") }
    }

    /// Whether what was typed to confirm an erasure is the word of the reader's language, or the English one, in
    /// capitals or not.
    public static func confirmsErasure(_ typed: String, word: String) -> Bool {
        let t = typed.trimmingWhitespace().lowercased()
        return t == word.lowercased() || t == "erase"
    }

    public static func checkName(_ name: String, into errors: inout FieldErrors) {
        let n = name.trimmingWhitespace()
        if n.isEmpty { errors.add("name", "error.name.missing") }
        else if n.count > 120 { errors.add("name", "error.name.long", ["120"]) }
    }
}

/// The sign-in limit: after too many failed attempts for one account, or from one client address,
/// within a window, further attempts are refused until the window has passed. The counts come from
/// the database, so that the limit holds across all app processes.
public struct SignInLimit: Sendable, Equatable {
    public var maxFailuresPerAccount: Int
    public var maxFailuresPerAddress: Int
    public var window: TimeInterval

    public init(maxFailuresPerAccount: Int = 5, maxFailuresPerAddress: Int = 20, window: TimeInterval = 15 * 60) {
        self.maxFailuresPerAccount = maxFailuresPerAccount; self.maxFailuresPerAddress = maxFailuresPerAddress; self.window = window
    }

    public enum Decision: Equatable, Sendable { case allowed, lockedAccount, lockedAddress }

    public func decide(recentAccountFailures: Int, recentAddressFailures: Int) -> Decision {
        if recentAccountFailures >= maxFailuresPerAccount { return .lockedAccount }
        if recentAddressFailures >= maxFailuresPerAddress { return .lockedAddress }
        return .allowed
    }
}
