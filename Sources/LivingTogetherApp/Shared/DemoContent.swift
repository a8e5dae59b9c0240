import Fluent
import LivingTogetherCore
import Vapor

/// Reference data loaded by migration (the countries), and the demo content that `serve` loads into an
/// empty database so that a newcomer sees a working site: the municipalities the sources speak of
/// (a copy of rows of ../shared/data/european-places.csv, GeoNames, CC BY 4.0), the Belgian places of
/// 10,000 inhabitants or more, an association of municipalities and other organisations, and demo accounts.
enum DemoContent {
    static func fixture(_ name: String) throws -> String {
        try BundledResource.text(name, "csv", in: "Resources/Fixtures")
    }

    /// The region names of `regions.csv` (GeoNames admin1 names, CC BY 4.0): `country,admin1,name`.
    static func regions() throws -> [(country: String, code: String, name: String)] {
        try CSV.lines(try fixture("regions")).enumerated().compactMap { i, line in
            guard i > 0, !line.isEmpty else { return nil }
            guard case .success(let f) = CSV.fields(of: line), f.count == 3 else {
                throw Abort(.internalServerError, reason: "regions.csv line \(i + 1) is malformed")
            }
            return (country: f[0], code: f[1], name: f[2])
        }
    }

    struct DemoAccount { var email: String; var name: String; var organisation: String?; var role: Role?; var platformAdmin: Bool }

    static let accounts: [DemoAccount] = [
        .init(email: "admin@livingtogether.example", name: "Platform Admin", organisation: nil, role: nil, platformAdmin: true),
        .init(email: "officer@mechelen.example", name: "Mechelen diversity officer", organisation: "Mechelen", role: .admin, platformAdmin: false),
        .init(email: "editor@mechelen.example", name: "Mechelen integration editor", organisation: "Mechelen", role: .editor, platformAdmin: false),
        .init(email: "coordinator@vvsg.example", name: "VVSG coordinator", organisation: "Association of Flemish Cities and Municipalities (VVSG)", role: .admin, platformAdmin: false),
        .init(email: "officer@genk.example", name: "Genk equal-opportunities officer", organisation: "Genk", role: .admin, platformAdmin: false),
        // Partners that report indicator values for a municipality's plan actions.
        .init(email: "mentor@duoforajob.example", name: "DUO for a JOB coordinator", organisation: "DUO for a JOB", role: .editor, platformAdmin: false),
        .init(email: "advisor@integration.example", name: "Integration agency advisor", organisation: "Agency for Integration and Civic Integration", role: .editor, platformAdmin: false),
        // A newcomer in the participation programme (26 of 40 hours), who gave the agency's advisor access.
        .init(email: "newcomer@participation.example", name: "Amina, demo newcomer", organisation: nil, role: nil, platformAdmin: false),
    ]

    static let organisations: [(OrganisationKind, String, String, String)] = [
        (.association, "Association of Flemish Cities and Municipalities (VVSG)", "BE", "The association of all 300 Flemish cities and municipalities; coordinator of city-to-city mentoring and learning networks."),
        (.agency, "Agency for Integration and Civic Integration", "BE", "Flemish government agency supporting local integration policy."),
        (.partner, "DUO for a JOB", "BE", "Non-profit running intergenerational mentoring for labour-market integration."),
        (.network, "Eurocities", "BE", "Network of major European cities."),
        (.network, "Council of European Municipalities and Regions (CEMR)", "BE", "European association of local and regional governments; coordinator of IncluCities."),
    ]

    /// Loads the demo content when the database holds no organisation. Returns the printed sign-in lines, or nil when nothing was loaded.
    static func loadIfEmpty(_ app: Application) async throws -> [String]? {
        guard try await Organisation.query(on: app.db).count() == 0 else { return nil }
        _ = try await DirectoryImporter(db: app.db).importText(try fixture("demo-places"), country: nil)
        try await app.db.transaction { tx in
            for (kind, name, country, summary) in organisations {
                let org = Organisation(kind: kind, name: name, country: country)
                org.summary = summary
                try await org.create(on: tx)
            }
            try await DirectoryIndexCache.bump(on: tx)
        }
        let password = ProcessInfo.processInfo.environment["DEMO_PASSWORD"].flatMap { $0.count >= AccountRules.minimumPasswordLength ? $0 : nil }
            ?? Tokens.random(bytes: 9)
        let hash = try await app.password.async.hash(password)
        let lines: [String] = try await app.db.transaction { tx in
            var lines: [String] = []
            for a in accounts {
                let user = User(email: a.email, name: a.name, passwordHash: hash, isPlatformAdmin: a.platformAdmin)
                try await user.create(on: tx)
                if let orgName = a.organisation, let role = a.role {
                    guard let org = try await Organisation.query(on: tx).filter(\.$name == orgName).sort(\.$population, .descending).first() else {
                        throw Abort(.internalServerError, reason: "demo organisation \(orgName) is missing")
                    }
                    try await Membership(userID: user.id!, organisationID: try org.requireID(), role: role).create(on: tx)
                }
                let what = a.platformAdmin ? "platform administrator"
                    : a.role.map { "\($0.rawValue) of \(a.organisation ?? "")" } ?? "participant in the participation programme"
                lines.append("  \(a.email)  (\(what))")
            }
            return lines
        }
        try await loadDemoAssessments(app)
        // The shipped Plan Living Together catalogue becomes the association's draft, for it to publish.
        if let vvsg = try await Organisation.query(on: app.db).filter(\.$name == "Association of Flemish Cities and Municipalities (VVSG)").first() {
            for row in try await CatalogueVersion.query(on: app.db).filter(\.$publisher.$id == nil).all() {
                row.$publisher.id = vvsg.id
                try await row.save(on: app.db)
            }
            try await loadDemoCatalogueVersion(app, publisher: vvsg.requireID())
        }
        try await MentoringDemo.load(app)
        try await EventDemo.load(app)
        try await ParticipationDemo.load(app, passwordHash: hash)
        return ["Demo content loaded. Sign in with any of these accounts, password: \(password)"] + lines
            + ["This password is printed once; `livingtogether create-admin --email you@example.org` makes another administrator."]
    }
}

extension DemoContent {
    /// The shipped Plan Living Together ran from 2022 to 2025: a version whose period has ended takes no requests.
    /// So that the walkthrough can request actions, the demo adds a version 2 with the same actions over a period
    /// that runs from this year for five years, marked as demo data in its title and summary.
    static func loadDemoCatalogueVersion(_ app: Application, publisher: Int) async throws {
        guard let v1 = try await CatalogueVersion.query(on: app.db).filter(\.$publisher.$id == publisher)
            .sort(\.$version, .descending).first() else { return }
        var c = try await app.plans.catalogue(v1, on: app.db)
        guard let end = Day(c.period.end), end < Day.today else { return }
        let year = Day.today.year
        c.version = v1.version + 1
        c.period.start = "\(year)-01-01"; c.period.end = "\(year + 5)-12-31"
        c.title = LocalizedText(c.title.values.mapValues { "\($0) (demo: \(year)–\(year + 5))" })
        let note = ["nl": "Demogegevens: de acties van het plan 2022–2025 overgenomen in een nieuwe periode om het platform "
                        + "uit te proberen. "]
        let noteEN = "Demo data: the actions of the 2022–2025 plan carried into a new period for trying the platform. "
        c.summary = LocalizedText(Dictionary(lastOf: c.summary.values.map { ($0.key, (note[$0.key] ?? noteEN) + $0.value) }))
        try await CatalogueVersion(key: c.id, version: c.version, content: try PlanStore.encode(c), publisher: publisher,
                                   uploadedBy: nil).create(on: app.db)
    }

    /// Submitted, unpublished "city for all" assessments of eight Flemish municipalities, marked as demo data,
    /// so that a newcomer's report shows the anonymous peer comparison (it needs five municipalities).
    static let demoPeers: [(String, [Int])] = [
        ("Gent", [4, 4, 3, 4, 3]), ("Antwerp", [3, 4, 3, 3, 2]), ("Lier", [2, 3, 2, 3, 2]), ("Turnhout", [2, 2, 3, 3, 2]),
        ("Genk", [3, 3, 2, 4, 3]), ("Sint-Niklaas", [3, 3, 3, 4, 3]), ("Hasselt", [2, 3, 2, 3, 3]), ("Diest", [2, 2, 1, 3, 2]),
    ]

    static func loadDemoAssessments(_ app: Application) async throws {
        guard let (row, framework) = try await app.benchmarks.latest(key: "city-for-all", on: app.db) else { return }
        let year = Calendar(identifier: .gregorian).component(.year, from: Date()) - 1
        try await app.db.transaction { tx in
            for (name, levels) in demoPeers {
                guard let org = try await Organisation.query(on: tx).filter(\.$name == name).filter(\.$country == "BE")
                    .sort(\.$population, .descending).first() else { continue }
                var content = AssessmentContent()
                for (k, level) in zip(framework.keyFactors, levels) {
                    content.ratings[k.id] = Rating(level: level, comments: "Demo data: not a real assessment of \(name).")
                }
                let a = Assessment()
                a.$organisation.id = try org.requireID()
                a.$framework.id = try row.requireID()
                a.frameworkKey = framework.id
                a.year = year
                a.status = Assessment.submitted
                a.revision = 1
                a.published = false
                a.submittedAt = Date()
                a.average = Scoring.average(levels)
                try a.encode(content)
                try await a.create(on: tx)
            }
            try await BenchmarkStore.bump(on: tx)
        }
    }
}

/// 001 — the countries of Europe, reference data every database needs.
struct SeedCountries: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let text = try DemoContent.fixture("european-countries")
        for (i, line) in CSV.lines(text).enumerated() where i > 0 {
            guard case .success(let f) = CSV.fields(of: line), f.count >= 7 else {
                throw Abort(.internalServerError, reason: "european-countries.csv line \(i + 1) is malformed")
            }
            try await Country(code: f[0], name: f[2], languages: f[6]).create(on: db)
        }
    }
    func revert(on db: any Database) async throws { try await Country.query(on: db).delete() }
}
