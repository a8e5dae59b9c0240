import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Vapor

/// Who is acting in a test. `anonymous` has no account; every other persona is a seeded user.
enum Persona: String, CaseIterable, Sendable, CustomStringConvertible {
    case anonymous, viewerA, editorA, adminA, adminB, coordinator, nobody, platformAdmin
    var description: String { rawValue }
}

/// The small world every web test starts from:
/// - places imported through the GeoNames format (Malmö, Lund, Livadeiá, Mechelen, Gent, Baarle-Hertog);
/// - organisation A = Mechelen (BE), organisation B = Gent (BE);
/// - organisation C = an association of Flemish municipalities (BE, Flanders), the coordinator of catalogues;
/// - a platform administrator; the admin, editor and viewer of A; the admin of B; an editor of C (`coordinator`);
///   a user with no membership.
/// All seeded users share `FixtureWorld.password`.
struct FixtureWorld: Sendable {
    static let password = "correct horse battery staple"

    static let placesCSV = """
    geonameid,name,country,admin1,latitude,longitude,population,timezone
    2692969,Malmö,SE,Skåne,55.60587,13.00073,301706,Europe/Stockholm
    2693678,Lund,SE,Skåne,55.70584,13.19321,91940,Europe/Stockholm
    258620,Livadeiá,GR,Central Greece,38.43194,22.87528,21379,Europe/Athens
    2791537,Mechelen,BE,Flanders,51.02574,4.47762,86921,Europe/Brussels
    2797656,Gent,BE,Flanders,51.05,3.71667,231493,Europe/Brussels
    2803073,Baarle-Hertog,BE,Flanders,51.44231,4.93172,2800,Europe/Brussels

    """

    struct Person: Sendable {
        var id: Int
        var email: String
        var name: String
        /// The membership in organisation A or B, when the persona has one.
        var membershipID: Int?
    }

    var orgA: Int
    var orgB: Int
    /// The association (a coordinator).
    var orgC: Int
    var malmo: Int
    var livadeia: Int
    var people: [Persona: Person]

    func person(_ p: Persona) -> Person {
        guard let person = people[p] else { fatalError("\(p) has no account") }
        return person
    }
    func email(_ p: Persona) -> String { person(p).email }

    static func seed(_ app: Application) async throws -> FixtureWorld {
        let report = try await DirectoryImporter(db: app.db).importText(placesCSV, country: nil)
        guard report.errors.isEmpty, report.inserted == 6 else {
            throw TestSetupError("fixture import failed: \(report)")
        }
        func org(_ sourceKey: String) async throws -> Int {
            guard let o = try await Organisation.query(on: app.db).filter(\.$sourceKey == sourceKey).first(), let id = o.id else {
                throw TestSetupError("fixture organisation \(sourceKey) missing")
            }
            return id
        }
        let orgA = try await org("geonames:2791537")
        let orgB = try await org("geonames:2797656")
        let association = Organisation(kind: .association, name: "Association of Flemish Municipalities", country: "BE", region: "Flanders")
        try await association.create(on: app.db)
        let orgC = try association.requireID()
        let hash = try app.password.hash(password)
        let specs: [(Persona, String, String, Bool, (Int, Role)?)] = [
            (.platformAdmin, "platform@example.org", "Pat Platform", true, nil),
            (.adminA, "admin.a@example.org", "Ada Admin-A", false, (orgA, .admin)),
            (.editorA, "editor.a@example.org", "Eddie Editor-A", false, (orgA, .editor)),
            (.viewerA, "viewer.a@example.org", "Vera Viewer-A", false, (orgA, .viewer)),
            (.adminB, "admin.b@example.org", "Bert Admin-B", false, (orgB, .admin)),
            (.coordinator, "coordinator@example.org", "Cora Coordinator", false, (orgC, .editor)),
            (.nobody, "nobody@example.org", "Nico Nobody", false, nil),
        ]
        var people: [Persona: Person] = [:]
        for (persona, email, name, platform, membership) in specs {
            let user = User(email: email, name: name, passwordHash: hash, isPlatformAdmin: platform)
            try await user.create(on: app.db)
            var membershipID: Int? = nil
            if let (orgID, role) = membership {
                let m = Membership(userID: user.id!, organisationID: orgID, role: role)
                try await m.create(on: app.db)
                membershipID = m.id
            }
            people[persona] = Person(id: user.id!, email: email, name: name, membershipID: membershipID)
        }
        return FixtureWorld(orgA: orgA, orgB: orgB, orgC: orgC, malmo: try await org("geonames:2692969"),
                            livadeia: try await org("geonames:258620"), people: people)
    }
}

struct FixtureWorldKey: StorageKey { typealias Value = FixtureWorld }

extension Application {
    var world: FixtureWorld {
        guard let w = storage[FixtureWorldKey.self] else { fatalError("withTestApp seeds the world") }
        return w
    }

    // MARK: rows made directly, for tests that need one more of something

    /// A new user (not a fixture persona), with an optional membership. Returns (user id, membership id).
    @discardableResult
    func makeUser(email: String = "extra-\(UUID().uuidString.prefix(8).lowercased())@example.org", name: String = "Extra Person",
                  password: String = FixtureWorld.password, in organisation: Int? = nil, role: Role = .viewer) async throws -> (user: Int, membership: Int?) {
        let user = User(email: email, name: name, passwordHash: try self.password.hash(password))
        try await user.create(on: db)
        guard let organisation else { return (user.id!, nil) }
        let m = Membership(userID: user.id!, organisationID: organisation, role: role)
        try await m.create(on: db)
        return (user.id!, m.id)
    }

    /// An invitation with a known link token. Returns (invitation id, token).
    func makeInvitation(organisation: Int, email: String = "invitee-\(UUID().uuidString.prefix(8).lowercased())@example.org",
                        role: Role = .viewer, expiresIn: TimeInterval = 3600, by inviter: Int? = nil) async throws -> (id: Int, token: String) {
        let token = Tokens.random()
        let inv = Invitation()
        inv.$organisation.id = organisation
        inv.email = email
        inv.role = role.rawValue
        inv.tokenHash = Tokens.hash(token)
        inv.$invitedBy.id = inviter
        inv.expiresAt = Date().addingTimeInterval(expiresIn)
        try await inv.create(on: db)
        return (inv.id!, token)
    }

    /// A password reset with a known link token.
    func makePasswordReset(user: Int, expiresIn: TimeInterval = 3600) async throws -> String {
        let token = Tokens.random()
        let reset = PasswordReset()
        reset.$user.id = user
        reset.tokenHash = Tokens.hash(token)
        reset.expiresAt = Date().addingTimeInterval(expiresIn)
        try await reset.create(on: db)
        return token
    }

    /// An API token of a user, made directly. Returns (token id, secret).
    func makeAPIToken(user: Int, name: String = "direct") async throws -> (id: Int, secret: String) {
        let secret = "lt_" + Tokens.random()
        let token = APIToken()
        token.$user.id = user
        token.name = name
        token.prefix = String(secret.prefix(10))
        token.tokenHash = Tokens.hash(secret)
        try await token.create(on: db)
        return (token.id!, secret)
    }

    func organisationCount() async throws -> Int { try await Organisation.query(on: db).count() }
    func outbox() async throws -> [OutboxMessage] { try await OutboxMessage.query(on: db).sort(\.$id).all() }
    func membership(_ id: Int) async throws -> Membership? { try await Membership.find(id, on: db) }
}
