import Fluent
import LivingTogetherCore
import Synchronization
import Vapor

/// The published activities and their search index, kept per process (as the knowledge library is). Every change to
/// activities bumps `app_state.participation_generation` in its transaction. This process's own change replaces its
/// one listing in the index at once (`update`); at most once a second a request compares the counter, and when
/// another process changed activities one rebuild runs in the background while the old index keeps answering. Only
/// the very first search waits for the index, and every request arriving meanwhile waits for that same build.
final class ParticipationStore: Sendable {
    struct Place: Sendable {
        var id: Int
        var name: String
        var latitude: Double
        var longitude: Double
    }
    struct Snapshot: Sendable {
        var index = ActivityIndex([])
        /// Organiser and municipality names by id, for the result lines.
        var names: [Int: String] = [:]
        /// The municipalities that have published activities, by their folded name, with where they are.
        var placesByName: [String: Place] = [:]
        var generation = 0
    }
    private struct State {
        var snapshot = Snapshot()
        var generation = -1
        var lastCheck = Date.distantPast
        var building: Task<Snapshot, any Error>?
    }
    private let state = Mutex(State())
    static let counterKey = "participation_generation"

    func snapshot(on db: any Database) async throws -> Snapshot {
        let now = Date()
        let (check, current, never, building) = state.withLock {
            s -> (Bool, Snapshot, Bool, Task<Snapshot, any Error>?) in
            let due = now.timeIntervalSince(s.lastCheck) > 1
            if due { s.lastCheck = now }
            return (due, s.snapshot, s.generation < 0, s.building)
        }
        if never { return try await (building ?? startBuild(on: db)).value }
        guard check, building == nil else { return current }
        let stored = try await DirectoryIndexCache.counter(Self.counterKey, on: db)
        if stored != state.withLock({ $0.generation }) { _ = startBuild(on: db) }
        return current
    }

    /// One build at a time: a request that finds one running shares it.
    private func startBuild(on db: any Database) -> Task<Snapshot, any Error> {
        state.withLock { s in
            if let b = s.building { return b }
            let task = Task { () async throws -> Snapshot in
                defer { self.state.withLock { $0.building = nil } }
                return try await self.rebuild(on: db)
            }
            s.building = task
            return task
        }
    }

    static func place(_ o: Organisation) -> Place? {
        guard let id = o.id, let lat = o.latitude, let lon = o.longitude else { return nil }
        return Place(id: id, name: o.name, latitude: lat, longitude: lon)
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
        for id in Set(rows.map(\.$municipality.id)) {
            guard let o = orgs[id], let p = Self.place(o) else { continue }
            snapshot.placesByName[SearchText.fold(o.name)] = p
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

    /// After this process saved an activity: its listing replaced (or removed when it is not published) in the index,
    /// without reading the others again.
    func update(_ row: ActivityRow, on db: any Database) async throws {
        guard let id = row.id else { return }
        if state.withLock({ $0.generation < 0 }) {
            try await rebuild(on: db)
            return
        }
        let generation = try await DirectoryIndexCache.counter(Self.counterKey, on: db)
        let municipality = try await Organisation.find(row.$municipality.id, on: db)
        let organiser = try await Organisation.find(row.$organiser.id, on: db)
        var listing: ActivityListing? = nil
        if row.published, var a = try? row.activity() {
            a.id = String(id)
            listing = ActivityListing(
                id: id, activity: a, latitude: municipality?.latitude,
                longitude: municipality?.longitude, municipality: row.$municipality.id)
        }
        let current = state.withLock { $0.snapshot }
        var next = current
        next.index = current.index.replacing(id: id, with: listing)
        for o in [municipality, organiser].compactMap({ $0 }) { if let oid = o.id { next.names[oid] = o.name } }
        if listing != nil, let m = municipality, let p = Self.place(m) {
            next.placesByName[SearchText.fold(m.name)] = p
        }
        let updated = next
        state.withLock { s in
            s.snapshot = updated
            // Only this process's change is in: a change of another process since the last build is still to read.
            if s.generation == generation - 1 { s.generation = generation }
        }
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
