import LivingTogetherCore
import Foundation
import Vapor

/// Settings read from the environment once, at start. Each has a default that works on a fresh machine.
public struct Settings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(String)
    }

    public var database: DatabaseChoice
    /// The address people use to reach the site, for links in e-mails (PUBLIC_URL). When unset, links
    /// use the address the server listens on. Never taken from the request's Host header, which a
    /// stranger could forge to steal reset links.
    public var publicURL: String?
    /// True when the site is reached over TLS (PUBLIC_URL starts with https).
    public var publicURLIsTLS: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }
    /// Trust X-Forwarded-For and X-Forwarded-Proto (only behind a reverse proxy you run).
    public var trustProxy: Bool
    /// bcrypt cost: 12 in production; tests use the minimum to stay fast.
    public var bcryptCost: Int
    /// Print logs as one JSON object per line.
    public var jsonLogs: Bool
    public var signInLimit: SignInLimitSettings
    /// Load the demo content into an empty database when serving.
    public var demoContent: Bool
    /// The participation programme's required hours (`PARTICIPATION_HOURS`, 40 in Flanders; 1 to 1,000).
    public var participationHours: Int = ParticipationHours.defaultRequiredHours

    public struct SignInLimitSettings: Sendable {
        public var perAccount: Int
        public var perAddress: Int
        public var windowSeconds: Double
    }

    public static func fromEnvironment(_ environment: Environment) -> Settings {
        let env = ProcessInfo.processInfo.environment
        let database: DatabaseChoice
        if let url = env["DATABASE_URL"], !url.isEmpty, url.hasPrefix("postgres") {
            database = .postgres(url)
        } else if environment == .testing {
            database = .sqliteMemory
        } else {
            database = .sqliteFile(env["DATABASE_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data/livingtogether.sqlite")
        }
        return Settings(
            database: database,
            publicURL: env["PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0.trimmingSuffix("/") },
            trustProxy: env["TRUST_PROXY"] == "1" || env["TRUST_PROXY"] == "true",
            bcryptCost: environment == .testing ? 4 : Int(env["BCRYPT_COST"] ?? "") ?? 12,
            jsonLogs: env["LOG_FORMAT"] == "json",
            signInLimit: .init(perAccount: Int(env["SIGNIN_LIMIT_ACCOUNT"] ?? "") ?? 5,
                               perAddress: Int(env["SIGNIN_LIMIT_ADDRESS"] ?? "") ?? 20,
                               windowSeconds: Double(env["SIGNIN_LIMIT_WINDOW"] ?? "") ?? 900),
            demoContent: env["DEMO_CONTENT"] != "0",
            participationHours: Int(env["PARTICIPATION_HOURS"] ?? "").map { min(max($0, 1), 1_000) }
                ?? ParticipationHours.defaultRequiredHours
        )
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}

struct SettingsKey: StorageKey { typealias Value = Settings }

extension Application {
    /// The site's address for links in e-mails: PUBLIC_URL, else the address the server listens on.
    var publicURL: String {
        if let url = settings.publicURL { return url }
        let c = http.server.configuration
        return "http://\(c.hostname):\(c.port)"
    }

    public var settings: Settings {
        get { storage[SettingsKey.self] ?? Settings.fromEnvironment(environment) }
        set { storage[SettingsKey.self] = newValue }
    }
}
