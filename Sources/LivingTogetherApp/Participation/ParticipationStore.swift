import Fluent
import LivingTogetherCore
import Synchronization
import Vapor

/// The published activities and their search index, kept per process (as the knowledge library is): every change to
/// activities bumps `app_state.participation_generation` in its transaction; at most once a second a request compares
/// the counter and rebuilds when another process changed them (this process's own changes rebuild at once).
final class ParticipationStore: Sendable {
    struct Snapshot: Sendable {
        var index = ActivityIndex([])
        /// Organiser and municipality names by id, for the result lines.
        var names: [Int: String] = [:]
        /// The municipalities that have published activities, by name, for the place field's suggestions.
        var places: [(id: Int, name: String)] = []
        /// The same municipalities by their folded name (and folded alternate names), with where they are.
        var placesByName: [String: (id: Int, name: String, latitude: Double, longitude: Double)] = [:]
        var generation = 0
    }
    private struct State {
        var snapshot = Snapshot()
        var generation = -1
        var lastCheck = Date.distantPast
    }
    private let state = Mutex(State())
    static let counterKey = "participation_generation"

    func snapshot(on db: any Database) async throws -> Snapshot {
        let now = Date()
        let (check, current, never) = state.withLock { s -> (Bool, Snapshot, Bool) in
            let due = now.timeIntervalSince(s.lastCheck) > 1
            if due { s.lastCheck = now }
            return (due, s.snapshot, s.generation < 0)
        }
        guard check || never else { return current }
        let stored = try await DirectoryIndexCache.counter(Self.counterKey, on: db)
        if !never && stored == state.withLock({ $0.generation }) { return current }
        return try await rebuild(on: db)
    }

    @discardableResult
    func rebuild(on db: any Database) async throws -> Snapshot {
        let generation = try await DirectoryIndexCache.counter(Self.counterKey, on: db)
        let rows = try await ActivityRow.query(on: db).filter(\.$published == true).all()
        let orgIDs = Set(rows.flatMap { [$0.$organiser.id, $0.$municipality.id] })
        var orgs: [Int: Organisation] = [:]
        for chunk in Array(orgIDs).chunked(into: 500) {
            for o in try await Organisation.query(on: db).filter(\.$id ~~ chunk).all() {
                if let id = o.id { orgs[id] = o }
            }
        }
        let decoder = JSONDecoder()
        var listings: [ActivityListing] = []
        listings.reserveCapacity(rows.count)
        for row in rows {
            guard let id = row.id, var a = try? decoder.decode(Activity.self, from: Data(row.content.utf8)) else {
                continue
            }
            a.id = String(id)
            let m = orgs[row.$municipality.id]
            listings.append(
                ActivityListing(
                    id: id, activity: a, latitude: m?.latitude, longitude: m?.longitude,
                    municipality: row.$municipality.id))
        }
        var snapshot = Snapshot()
        snapshot.index = ActivityIndex(listings)
        for (id, o) in orgs { snapshot.names[id] = o.name }
        snapshot.places = Set(rows.map(\.$municipality.id)).compactMap { id in orgs[id].map { (id, $0.name) } }
            .sorted { $0.name < $1.name }
        for id in Set(rows.map(\.$municipality.id)) {
            guard let o = orgs[id], let lat = o.latitude, let lon = o.longitude else { continue }
            let entry = (id: id, name: o.name, latitude: lat, longitude: lon)
            snapshot.placesByName[SearchText.fold(o.name)] = entry
        }
        snapshot.generation = generation
        let built = snapshot
        state.withLock { s in
            s.snapshot = built
            s.generation = generation
            s.lastCheck = Date()
        }
        return built
    }

    /// Marks the activities as changed for every process. Call inside the change's transaction.
    static func bump(on db: any Database) async throws { try await DirectoryIndexCache.bump(counterKey, on: db) }
}

struct ParticipationStoreKey: StorageKey { typealias Value = ParticipationStore }

extension Application {
    var participation: ParticipationStore {
        if let s = storage[ParticipationStoreKey.self] { return s }
        let s = ParticipationStore()
        storage[ParticipationStoreKey.self] = s
        return s
    }
}

extension Array {
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { Array(self[$0..<Swift.min(count, $0 + size)]) }
    }
}
