import Fluent
import LivingTogetherCore
import SQLKit
import Synchronization
import Vapor

/// Catalogue versions (documents immutable once stored, so cached by id) and the coordinator's overview
/// per catalogue version, rebuilt when any process changes a request or a plan (`plans_generation`) or the directory.
final class PlanStore: Sendable {
    private let catalogues = Mutex<[Int: Catalogue]>([:])

    private struct OverviewState {
        var overviews: [Int: CoordinatorOverview] = [:]
        /// The rendered main part of the coordinator's page, per catalogue version and language.
        var pages: [String: HTML] = [:]
        var rows: [Int: CatalogueVersion] = [:]
        var generation = -1
        var directoryGeneration = -1
        var lastCheck = Date.distantPast
    }
    private let state = Mutex(OverviewState())
    static let counterKey = "plans_generation"

    // MARK: catalogues

    func catalogue(id: Int, on db: any Database) async throws -> Catalogue {
        if let c = catalogues.withLock({ $0[id] }) { return c }
        guard let row = try await CatalogueVersion.find(id, on: db) else { throw Abort(.notFound) }
        let c = try Self.decode(row)
        catalogues.withLock { $0[id] = c }
        return c
    }

    /// A version's row without its document, kept until a plan or catalogue changes (like the overview): the
    /// coordinator's page then needs no query beyond the session's.
    func row(id: Int, on db: any Database) async throws -> CatalogueVersion? {
        try await revalidate(on: db)
        if let row = state.withLock({ $0.rows[id] }) { return row }
        guard let row = try await Self.row(id: id, on: db) else { return nil }
        state.withLock { s in
            if s.rows.count > 1_000 { s.rows.removeAll(keepingCapacity: true) }
            s.rows[id] = row
        }
        return row
    }

    /// A version's row without its document (which comes from the cache), read from the database.
    static func row(id: Int, on db: any Database) async throws -> CatalogueVersion? {
        try await CatalogueVersion.query(on: db).filter(\.$id == id)
            .field(\.$id).field(\.$catalogueKey).field(\.$version).field(\.$publisher.$id).field(\.$status)
            .field(\.$publishedAt).field(\.$withdrawnAt).field(\.$uploadedBy.$id).field(\.$createdAt).first()
    }

    func catalogue(_ row: CatalogueVersion, on db: any Database) async throws -> Catalogue {
        try await catalogue(id: row.requireID(), on: db)
    }

    static func decode(_ row: CatalogueVersion) throws -> Catalogue {
        switch CatalogueLoader.load(Data(row.content.utf8), file: "\(row.catalogueKey).v\(row.version)") {
        case .success(let c): return c
        case .failure(let p): throw Abort(.internalServerError, reason: "stored catalogue is invalid: \(p)")
        }
    }

    static func encode(_ c: Catalogue) throws -> String { try ContentJSON.encode(c) }

    /// The catalogues that ship with the platform, stored as drafts that no organisation publishes yet
    /// (a coordinator publishes them as its own), when the database does not have that version.
    static func syncShipped(on db: any Database, logger: Logger) async throws {
        guard let url = Catalogues.url(of: "plan-living-together.v1") else {
            throw Abort(.internalServerError, reason: "The shipped catalogue plan-living-together.v1.json is missing from the bundle")
        }
        let data = try Data(contentsOf: url)
        switch CatalogueLoader.load(data, file: url.lastPathComponent) {
        case .failure(let p): throw Abort(.internalServerError, reason: "A shipped catalogue is invalid:\n\(p)")
        case .success(let c):
            let exists = try await CatalogueVersion.query(on: db).filter(\.$catalogueKey == c.id).filter(\.$version == c.version).count() > 0
            guard !exists else { return }
            try await CatalogueVersion(key: c.id, version: c.version, content: try encode(c), publisher: nil, uploadedBy: nil).create(on: db)
            logger.notice("action catalogue loaded", metadata: ["catalogue": .string(c.id), "version": .stringConvertible(c.version)])
        }
    }

    // MARK: the coordinator's overview

    private func revalidate(on db: any Database) async throws {
        let now = Date()
        let check = state.withLock { s -> Bool in
            if now.timeIntervalSince(s.lastCheck) > 1 { s.lastCheck = now; return true }
            return false
        }
        guard check else { return }
        let stored = try await DirectoryIndexCache.counter(Self.counterKey, on: db)
        let directory = try await DirectoryIndexCache.generation(on: db)
        state.withLock { s in
            if stored != s.generation || directory != s.directoryGeneration {
                s.overviews = [:]; s.pages = [:]; s.rows = [:]; s.generation = stored; s.directoryGeneration = directory
            }
        }
    }

    /// Forgets the cached overviews at once (after a change made by this process).
    func invalidate() {
        state.withLock { s in s.overviews = [:]; s.pages = [:]; s.rows = [:]; s.lastCheck = .distantPast }
    }

    /// Marks plans as changed for every process (call in the same transaction as the change).
    static func bump(on db: any Database) async throws {
        try await DirectoryIndexCache.bump(Self.counterKey, on: db)
    }

    func overview(of row: CatalogueVersion, today: Day, on db: any Database) async throws -> CoordinatorOverview {
        try await revalidate(on: db)
        let id = try row.requireID()
        if let o = state.withLock({ $0.overviews[id] }), o.asOf == today { return o }
        let o = try await Self.buildOverview(row, catalogue: try await catalogue(row, on: db), today: today, on: db)
        state.withLock { $0.overviews[id] = o }
        return o
    }

    func cachedPage(_ key: String) -> HTML? { state.withLock { $0.pages[key] } }
    func storePage(_ page: HTML, key: String) {
        state.withLock { s in
            if s.pages.count > 1_000 { s.pages.removeAll(keepingCapacity: true) }
            s.pages[key] = page
        }
    }

    /// The municipalities of the coordinator's region on the platform: those that requested actions of
    /// this catalogue version, and the municipalities of the publisher's country and region that have members.
    static func scope(_ row: CatalogueVersion, on sql: any SQLDatabase, db: any Database) async throws -> [CoordinatorOverview.Municipality] {
        struct Row: Decodable { var id: Int; var name: String }
        let versionID = try row.requireID()
        var out: [Int: String] = [:]
        let requested = try await sql.raw("""
            SELECT DISTINCT o.id AS id, o.name AS name FROM uptake_requests r JOIN organisations o ON o.id = r.organisation_id
            WHERE r.catalogue_version_id = \(bind: versionID)
            """).all(decoding: Row.self)
        for r in requested { out[r.id] = r.name }
        if let publisherID = row.$publisher.id, let publisher = try await Organisation.find(publisherID, on: db) {
            let members: [Row]
            if let region = publisher.region, !region.isEmpty {
                members = try await sql.raw("""
                    SELECT DISTINCT o.id AS id, o.name AS name FROM organisations o JOIN memberships m ON m.organisation_id = o.id
                    WHERE o.kind = 'municipality' AND o.country = \(bind: publisher.country) AND o.region = \(bind: region)
                    """).all(decoding: Row.self)
            } else {
                members = try await sql.raw("""
                    SELECT DISTINCT o.id AS id, o.name AS name FROM organisations o JOIN memberships m ON m.organisation_id = o.id
                    WHERE o.kind = 'municipality' AND o.country = \(bind: publisher.country)
                    """).all(decoding: Row.self)
            }
            for r in members { out[r.id] = r.name }
        }
        return out.map { .init(id: $0.key, name: $0.value) }.sorted { $0.name < $1.name }
    }

    static func buildOverview(_ row: CatalogueVersion, catalogue: Catalogue, today: Day, on db: any Database) async throws -> CoordinatorOverview {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let versionID = try row.requireID()
        let municipalities = try await scope(row, on: sql, db: db)

        struct ItemRow: Decodable { var organisation_id: Int; var action_id: String; var status: String }
        let items = try await sql.raw("""
            SELECT r.organisation_id AS organisation_id, i.action_id AS action_id, i.status AS status
            FROM uptake_request_items i JOIN uptake_requests r ON r.id = i.request_id WHERE r.catalogue_version_id = \(bind: versionID)
            """).all(decoding: ItemRow.self)

        struct ActionRow: Decodable {
            var id: Int; var organisation_id: Int; var catalogue_action_id: String?; var status: String; var start_day: String; var end_day: String
            var last_activity: String?; var funding_end: String?; var continuation: String
        }
        let actions = try await sql.raw("""
            SELECT id, organisation_id, catalogue_action_id, status, start_day, end_day, last_activity, funding_end, continuation
            FROM plan_actions WHERE catalogue_version_id = \(bind: versionID)
            """).all(decoding: ActionRow.self)

        // Only each reporter's latest value per indicator (as of today) counts for totals and for the last activity,
        // so the database reduces five years of values to one row per indicator and reporter.
        struct IndicatorRow: Decodable {
            var indicator_id: Int; var plan_action_id: Int; var organisation_id: Int; var catalogue_action_id: String; var catalogue_indicator_id: String
        }
        let indicatorRows = try await sql.raw("""
            SELECT pi.id AS indicator_id, pa.id AS plan_action_id, pa.organisation_id AS organisation_id, pa.catalogue_action_id AS catalogue_action_id,
                   pi.catalogue_indicator_id AS catalogue_indicator_id
            FROM plan_indicators pi JOIN plan_actions pa ON pa.id = pi.plan_action_id
            WHERE pa.catalogue_version_id = \(bind: versionID) AND pi.catalogue_indicator_id IS NOT NULL AND pa.catalogue_action_id IS NOT NULL
            """).all(decoding: IndicatorRow.self)
        struct LatestRow: Decodable { var indicator_id: Int; var reporter_id: Int; var day: String; var value: Double }
        let latest = try await sql.raw("""
            SELECT v.indicator_id AS indicator_id, v.reporter_id AS reporter_id, v.day AS day, v.value AS value
            FROM indicator_values v
            JOIN (SELECT v2.indicator_id AS indicator_id, v2.reporter_id AS reporter_id, MAX(v2.day) AS day
                  FROM indicator_values v2 JOIN plan_indicators pi ON pi.id = v2.indicator_id JOIN plan_actions pa ON pa.id = pi.plan_action_id
                  WHERE pa.catalogue_version_id = \(bind: versionID) AND v2.day <= \(bind: today.description)
                  GROUP BY v2.indicator_id, v2.reporter_id) m
              ON m.indicator_id = v.indicator_id AND m.reporter_id = v.reporter_id AND m.day = v.day
            ORDER BY v.id
            """).all(decoding: LatestRow.self)
        var indicators: [Int: CoordinatorOverview.Indicator] = [:]
        for r in indicatorRows {
            indicators[r.indicator_id] = .init(id: r.indicator_id, planAction: r.plan_action_id, municipality: r.organisation_id,
                                               catalogueActionID: r.catalogue_action_id, catalogueIndicatorID: r.catalogue_indicator_id, values: [])
        }
        for v in latest {
            guard let d = Day(v.day) else { continue }
            // Two values of one reporter on the same day: the later entry wins, as in IndicatorMath.
            indicators[v.indicator_id]?.values.removeAll { $0.reporter == v.reporter_id && $0.day == d }
            indicators[v.indicator_id]?.values.append(IndicatorValue(reporter: v.reporter_id, day: d, value: v.value))
        }
        return CoordinatorOverview.build(
            catalogue: catalogue, mentors: [:], municipalities: municipalities,
            requests: items.map { .init(municipality: $0.organisation_id, actionID: $0.action_id, status: UptakeItemStatus(rawValue: $0.status) ?? .pending) },
            actions: actions.map {
                .init(id: $0.id, municipality: $0.organisation_id, catalogueActionID: $0.catalogue_action_id,
                      status: PlanFollowUp.Status(rawValue: $0.status) ?? .planned, start: Day($0.start_day) ?? Day(1970, 1, 1),
                      end: Day($0.end_day) ?? Day(1970, 1, 1), lastActivity: $0.last_activity.flatMap(Day.init),
                      fundingEnd: $0.funding_end.flatMap(Day.init), hasContinuation: !$0.continuation.trimmingWhitespace().isEmpty)
            },
            indicators: Array(indicators.values), today: today)
    }
}

struct PlanStoreKey: StorageKey { typealias Value = PlanStore }

extension Application {
    var plans: PlanStore {
        guard let s = storage[PlanStoreKey.self] else { fatalError("PlanStore is set up in configure") }
        return s
    }
}

/// After any change made through a plans route, this process forgets its cached overviews at once
/// (other processes notice the shared counter within a second).
struct PlanChangesMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.method != .GET && request.method != .HEAD { request.application.plans.invalidate() }
        return response
    }
}

extension Day {
    /// Today in UTC.
    static var today: Day { Day(Date()) }

    /// The calendar day of a moment, in UTC.
    init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}
