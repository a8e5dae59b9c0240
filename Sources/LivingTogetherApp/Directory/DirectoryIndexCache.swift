import Fluent
import LivingTogetherCore
import SQLKit
import Vapor
import Synchronization

/// The directory's in-memory search index, shared by all requests of this process. Every change to
/// the organisations table bumps a counter in `app_state`; at most once a second a request checks the
/// counter and, when another process (an import, say) changed the directory, the index is rebuilt
/// in the background while the old one keeps answering.
final class DirectoryIndexCache: Sendable {
    private struct State {
        var index = DirectorySearchIndex(entries: [])
        var countries: [(code: String, name: String)] = []
        /// Region names by "country.code" ("BE.VLG" → "Flanders").
        var regions: [String: String] = [:]
        var generation: Int = -1
        var lastCheck: Date = .distantPast
        var rebuilding = false
    }
    private let state = Mutex(State())
    static let counterKey = "directory_generation"

    var current: DirectorySearchIndex { state.withLock { $0.index } }
    /// The countries, ordered by name, as of the last rebuild.
    var countries: [(code: String, name: String)] { state.withLock { $0.countries } }
    func countryName(_ code: String) -> String { countries.first { $0.code == code }?.name ?? code }

    /// The country's name in the interface's language ("België"), the stored (English) name otherwise.
    func countryName(_ code: String, _ t: Translator) -> String {
        let key = "country.\(code)"
        return Strings.shared.has(key, t.language) ? t(key) : countryName(code)
    }

    /// The countries ordered by their name in the interface's language.
    func countries(_ t: Translator) -> [(code: String, name: String)] {
        countries.map { (code: $0.code, name: countryName($0.code, t)) }
            .sorted { $0.name.compare($1.name, locale: Locale(identifier: t.language.rawValue)) == .orderedAscending }
    }

    /// The region's name for a stored code ("VLG" in BE → "Flanders"); a region typed as a name is shown as typed.
    func regionName(_ code: String?, country: String) -> String? {
        guard let code else { return nil }
        return state.withLock { $0.regions["\(country).\(code)"] } ?? code
    }

    /// The index, refreshed first if it was never built; otherwise checked at most once a second.
    func index(on db: any Database, logger: Logger) async throws -> DirectorySearchIndex {
        let (index, needsInitial, needsCheck) = state.withLock { s -> (DirectorySearchIndex, Bool, Bool) in
            let now = Date()
            let check = !s.rebuilding && now.timeIntervalSince(s.lastCheck) > 1
            if check { s.lastCheck = now }
            return (s.index, s.generation < 0, check)
        }
        if needsInitial {
            try await rebuild(on: db)
            return current
        }
        if needsCheck {
            let stored = try await Self.generation(on: db)
            let stale = state.withLock { s -> Bool in
                guard stored != s.generation, !s.rebuilding else { return false }
                s.rebuilding = true
                return true
            }
            if stale {
                // Rebuilt off the request; this request still answers from the index it has.
                Task {
                    do { try await self.rebuild(on: db) } catch {
                        logger.error("directory index rebuild failed", metadata: ["error": "\(error)"])
                        self.state.withLock { $0.rebuilding = false }
                    }
                }
            }
        }
        return index
    }

    /// Reads the whole directory (only the columns the list shows) and builds a new index.
    func rebuild(on db: any Database) async throws {
        let generation = try await Self.generation(on: db)
        guard let sql = db as? any SQLDatabase else { return }
        struct Row: Decodable {
            var id: Int; var kind: String; var name: String; var country: String; var region: String?; var population: Int?
            var slug: String; var alternate_names: String?
        }
        let rows = try await sql.select().columns("id", "kind", "name", "country", "region", "population", "slug", "alternate_names")
            .from("organisations").all(decoding: Row.self)
        let entries = rows.map {
            DirectoryEntry(id: $0.id, kind: OrganisationKind(rawValue: $0.kind) ?? .municipality, name: $0.name, country: $0.country,
                           region: $0.region, population: $0.population, slug: $0.slug,
                           alternateNames: AlternateNames.split($0.alternate_names))
        }
        let index = DirectorySearchIndex(entries: entries)
        struct CountryRow: Decodable { var code: String; var name: String }
        let countries = try await sql.select().columns("code", "name").from("countries").orderBy("name")
            .all(decoding: CountryRow.self).map { (code: $0.code, name: $0.name) }
        struct RegionRow: Decodable { var country: String; var code: String; var name: String }
        let regions = Dictionary(lastOf: try await sql.select().columns("country", "code", "name").from("regions")
            .all(decoding: RegionRow.self).map { ("\($0.country).\($0.code)", $0.name) })
        state.withLock { s in
            s.index = index; s.countries = countries; s.regions = regions; s.generation = generation; s.rebuilding = false
            s.lastCheck = Date()
        }
    }

    static func generation(on db: any Database) async throws -> Int { try await counter(counterKey, on: db) }

    /// Marks the directory as changed, for every process. Call inside the same transaction as the change.
    static func bump(on db: any Database) async throws { try await bump(counterKey, on: db) }

    /// A change counter shared by all processes through `app_state`.
    static func counter(_ key: String, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        struct Row: Decodable { var value: Int }
        return try await sql.select().column("value").from("app_state").where("key", .equal, key)
            .first(decoding: Row.self)?.value ?? 0
    }

    static func bump(_ key: String, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.insert(into: "app_state").columns("key", "value").values(SQLBind(key), SQLBind(1))
            .onConflict(with: ["key"]) { $0.set("value", to: SQLRaw("app_state.value + 1")) }
            .run()
    }
}

struct DirectoryIndexCacheKey: StorageKey { typealias Value = DirectoryIndexCache }

extension Application {
    var directoryIndex: DirectoryIndexCache {
        if let c = storage[DirectoryIndexCacheKey.self] { return c }
        let c = DirectoryIndexCache()
        storage[DirectoryIndexCacheKey.self] = c
        return c
    }
}
