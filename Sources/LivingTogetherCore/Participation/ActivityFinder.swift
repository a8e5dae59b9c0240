import Foundation

/// Finding activities as a newcomer asks: near a place (its municipality and the ones around it), at a level they
/// can follow, of a category, on the coming dates, described in a language they read.
public struct ActivityQuery: Sendable, Equatable {
    /// The municipality asked about and how far around it to look (km; 0: that municipality only).
    public var near: (latitude: Double, longitude: Double)?
    public var radiusKm: Double
    /// The participant's Dutch level: activities asking more are left out (nil: any level).
    public var level: CEFRLevel?
    public var category: ActivityCategory?
    public var from: Day
    public var to: Day
    public var language: String?
    public var page: Int
    public var perPage: Int

    public static let maximumRadiusKm = 100.0
    public static let maximumDays = 366

    public init(
        near: (latitude: Double, longitude: Double)? = nil, radiusKm: Double = 10, level: CEFRLevel? = nil,
        category: ActivityCategory? = nil, from: Day, to: Day? = nil, language: String? = nil, page: Int = 1,
        perPage: Int = 20
    ) {
        self.near = near
        self.radiusKm = radiusKm.isFinite ? min(max(radiusKm, 0), Self.maximumRadiusKm) : 10
        self.level = level
        self.category = category
        self.from = from
        let last = to ?? from.adding(days: 30)
        self.to = min(max(last, from), from.adding(days: Self.maximumDays))
        self.language = language
        self.page = max(1, min(page, 10_000))
        self.perPage = max(1, min(perPage, 100))
    }

    public static func == (a: ActivityQuery, b: ActivityQuery) -> Bool {
        a.near?.latitude == b.near?.latitude && a.near?.longitude == b.near?.longitude && a.radiusKm == b.radiusKm
            && a.level == b.level && a.category == b.category && a.from == b.from && a.to == b.to
            && a.language == b.language
            && a.page == b.page && a.perPage == b.perPage
    }
}

/// One activity as the finder holds it: where it is, what it asks, and its dates read once.
public struct ActivityListing: Sendable {
    public var id: Int
    public var activity: Activity
    public var latitude: Double?
    public var longitude: Double?
    /// The municipality it takes place in (the directory's id).
    public var municipality: Int
    let occurrences: Occurrences

    public init(id: Int, activity: Activity, latitude: Double?, longitude: Double?, municipality: Int = 0) {
        self.id = id
        self.activity = activity
        self.latitude = latitude
        self.longitude = longitude
        self.municipality = municipality
        self.occurrences = Occurrences(activity.schedule)
    }

    /// The next day the activity takes place on between two days, without reading its dates again.
    public func next(from first: Day, to last: Day) -> Day? {
        occurrences.next(from: first.dayNumber, to: last.dayNumber).map { Day(dayNumber: $0) }
    }
}

/// An activity's schedule with its dates read once, as day numbers: the finder asks every listing for its next date on
/// every search.
struct Occurrences: Sendable {
    var dates: [Int] = []
    var weekly: (weekday: Int, from: Int, until: Int, except: [Int])?

    init(_ s: ActivitySchedule) {
        switch s.kind {
        case .dates: dates = Set(s.dates.compactMap { Day($0)?.dayNumber }).sorted()
        case .weekly:
            if let w = s.weekday, (1...7).contains(w), let f = s.from.flatMap({ Day($0) }),
                let u = s.until.flatMap({ Day($0) })
            {
                weekly = (w, f.dayNumber, u.dayNumber, Set(s.except.compactMap { Day($0)?.dayNumber }).sorted())
            }
        }
    }

    /// The first of the sorted numbers at or after `n`.
    static func lowerBound<T: Comparable>(_ list: [T], _ n: T) -> Int {
        var lo = 0
        var hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid] < n { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func next(from first: Int, to last: Int) -> Int? {
        if let w = weekly {
            let start = max(first, w.from)
            let stop = min(last, w.until)
            guard start <= stop else { return nil }
            let weekday = ((start % 7 + 7) % 7 + 3) % 7 + 1
            var d = start + (w.weekday - weekday + 7) % 7
            while d <= stop {
                if w.except.isEmpty { return d }
                let k = Self.lowerBound(w.except, d)
                if k == w.except.count || w.except[k] != d { return d }
                d += 7
            }
            return nil
        }
        let k = Self.lowerBound(dates, first)
        return k < dates.count && dates[k] <= last ? dates[k] : nil
    }
}

public enum ActivityFinder {
    /// Great-circle distance in km (haversine, mean Earth radius).
    public static func distanceKm(
        _ a: (latitude: Double, longitude: Double),
        _ b: (latitude: Double, longitude: Double)
    ) -> Double {
        let r = 6371.0088
        let rad = Double.pi / 180
        let dLat = (b.latitude - a.latitude) * rad
        let dLon = (b.longitude - a.longitude) * rad
        let h =
            sin(dLat / 2) * sin(dLat / 2)
            + cos(a.latitude * rad) * cos(b.latitude * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }

    public struct Hit: Sendable {
        public var listing: ActivityListing
        public var next: Day
        public var distanceKm: Double?
    }

    /// Whether a listing fits the query (its category aside), with its next date (a day number) and distance.
    static func match(
        _ l: borrowing ActivityListing, _ q: ActivityQuery, from: Int, to: Int
    ) -> (next: Int, distance: Double?)? {
        if let level = q.level, let asked = l.activity.level, asked > level { return nil }
        if let lang = q.language, lang != "nl", lang != "en", !l.activity.languages.contains(lang) { return nil }
        var distance: Double? = nil
        if let near = q.near {
            guard let lat = l.latitude, let lon = l.longitude else { return nil }
            let d = distanceKm(near, (lat, lon))
            guard d <= max(q.radiusKm, 1) else { return nil }
            distance = d
        }
        guard let next = l.occurrences.next(from: from, to: to) else { return nil }
        return (next, distance)
    }

    /// Soonest first, then nearest, then by id.
    static func before(
        _ x: (next: Day, distance: Double?, id: Int), _ y: (next: Day, distance: Double?, id: Int)
    ) -> Bool {
        if x.next != y.next { return x.next < y.next }
        if let dx = x.distance, let dy = y.distance, dx != dy { return dx < dy }
        return x.id < y.id
    }

    /// The activities that fit, soonest first (then nearest, then by id), with their next date in the range: every
    /// listing read (the index below gives the same answer reading fewer).
    public static func find(_ q: ActivityQuery, in listings: [ActivityListing]) -> (hits: [Hit], total: Int) {
        var hits: [Hit] = []
        for l in listings {
            if let c = q.category, l.activity.category != c { continue }
            if let m = match(l, q, from: q.from.dayNumber, to: q.to.dayNumber) {
                hits.append(Hit(listing: l, next: Day(dayNumber: m.next), distanceKm: m.distance))
            }
        }
        hits.sort { before(($0.next, $0.distanceKm, $0.listing.id), ($1.next, $1.distanceKm, $1.listing.id)) }
        let start = (q.page - 1) * q.perPage
        let page = start < hits.count ? Array(hits[start..<min(hits.count, start + q.perPage)]) : []
        return (page, hits.count)
    }
}

/// The published activities held for searching: per category, the placed ones sorted by latitude, so that a search
/// near a place reads only the band of latitudes its radius reaches (and checks the longitude before the distance).
/// A search keeps small candidates (a position, the next date, the distance) and builds whole hits for its page only.
public struct ActivityIndex: Sendable {
    /// Every listing, by id.
    public let listings: [ActivityListing]
    private var placed: [ActivityCategory: [Int32]] = [:]
    private var latitudes: [ActivityCategory: [Double]] = [:]
    private var longitudes: [ActivityCategory: [Double]] = [:]
    private var unplaced: [ActivityCategory: [Int32]] = [:]
    /// A listing's position by its id.
    public private(set) var position: [Int: Int] = [:]
    public var count: Int { listings.count }
    /// What a search reads of each listing, by position, as plain values (reading a whole listing copies it).
    private var slots: [Slot] = []
    /// The dates of the listings on given dates, and the skipped days of the weekly ones, as day numbers.
    private var pool: [Int32] = []

    struct Slot {
        /// 0 for no level asked, else 1 (A1) … 6 (C2).
        var level: Int8
        var weekly: Bool
        var weekday: Int8
        var from: Int32
        var until: Int32
        var start: Int32
        var count: Int32
        var latitude: Double
        /// cos(latitude), made once for the distance.
        var cosLatitude: Double
        var longitude: Double
        var placed: Bool
        var hasLanguages: Bool
    }

    static func rank(_ l: CEFRLevel?) -> Int8 {
        guard let l, let i = CEFRLevel.allCases.firstIndex(of: l) else { return 0 }
        return Int8(i + 1)
    }

    public init(_ unsorted: [ActivityListing]) {
        listings = unsorted.sorted { $0.id < $1.id }
        var byLatitude: [ActivityCategory: [(Double, Double, Int32)]] = [:]
        slots.reserveCapacity(listings.count)
        for (i, l) in listings.enumerated() {
            position[l.id] = i
            let o = l.occurrences
            let start = Int32(truncatingIfNeeded: pool.count)
            let days = o.weekly?.except ?? o.dates
            for d in days { pool.append(Int32(truncatingIfNeeded: d)) }
            slots.append(
                Slot(
                    level: Self.rank(l.activity.level), weekly: o.weekly != nil,
                    weekday: Int8(truncatingIfNeeded: o.weekly?.weekday ?? 0),
                    from: Int32(truncatingIfNeeded: o.weekly?.from ?? 0),
                    until: Int32(truncatingIfNeeded: o.weekly?.until ?? 0), start: start,
                    count: Int32(truncatingIfNeeded: days.count), latitude: l.latitude ?? 0,
                    cosLatitude: cos((l.latitude ?? 0) * Double.pi / 180),
                    longitude: l.longitude ?? 0, placed: l.latitude != nil && l.longitude != nil,
                    hasLanguages: !l.activity.languages.isEmpty))
            if let lat = l.latitude, let lon = l.longitude {
                byLatitude[l.activity.category, default: []].append((lat, lon, Int32(truncatingIfNeeded: i)))
            } else {
                unplaced[l.activity.category, default: []].append(Int32(truncatingIfNeeded: i))
            }
        }
        for (c, list) in byLatitude {
            let sorted = list.sorted { $0.0 < $1.0 }
            latitudes[c] = sorted.map(\.0)
            longitudes[c] = sorted.map(\.1)
            placed[c] = sorted.map(\.2)
        }
    }

    /// The listing with this id.
    public func listing(id: Int) -> ActivityListing? { position[id].map { listings[$0] } }

    /// sin(x): for the small half-angles of a search's band (under 0.05 rad, a few hundred km) by its series to x⁵
    /// (an error below 2·10⁻¹³), else the library's.
    @inline(__always) static func sine(_ x: Double) -> Double {
        guard abs(x) < 0.05 else { return sin(x) }
        let x2 = x * x
        return x * (1 - x2 / 6 * (1 - x2 / 20))
    }

    struct Candidate {
        var position: Int32
        var next: Int
        /// The haversine's h (nil without a place): it orders as the distance does.
        var distance: Double?

        /// Soonest first, then nearest; positions follow the ids, so the last tie-break compares positions.
        static func before(_ x: Candidate, _ y: Candidate) -> Bool {
            if x.next != y.next { return x.next < y.next }
            if let dx = x.distance, let dy = y.distance, dx != dy { return dx < dy }
            return x.position < y.position
        }
    }

    /// The first `limit` candidates in order, kept while reading (a page needs only those), and how many fit.
    struct Best {
        var limit: Int
        var kept: [Candidate] = []
        var total = 0

        mutating func offer(_ c: Candidate) {
            total += 1
            if kept.count == limit, let last = kept.last, !Candidate.before(c, last) { return }
            var lo = 0
            var hi = kept.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Candidate.before(kept[mid], c) { lo = mid + 1 } else { hi = mid }
            }
            kept.insert(c, at: lo)
            if kept.count > limit { kept.removeLast() }
        }
    }

    /// The same answer as `ActivityFinder.find` over every listing.
    public func find(_ q: ActivityQuery) -> (hits: [ActivityFinder.Hit], total: Int) {
        let categories = q.category.map { [$0] } ?? ActivityCategory.allCases
        let from = q.from.dayNumber
        let to = q.to.dayNumber
        let start = (q.page - 1) * q.perPage
        var best = Best(limit: start + q.perPage)
        best.kept.reserveCapacity(min(best.limit + 1, 4_096))
        let asked = q.level.map { Self.rank($0) } ?? 7
        let language = q.language.flatMap { $0 == "nl" || $0 == "en" ? nil : $0 }
        // The haversine's h grows with the distance: candidates are compared by h, and the distance in km is worked
        // out for the page's hits only.
        let earth = 6371.0088
        let rad = Double.pi / 180
        let halfAngle = min(Double.pi / 2, max(q.radiusKm, 1) / earth / 2)
        let hMax = sin(halfAngle) * sin(halfAngle)
        let cosNear = cos((q.near?.latitude ?? 0) * rad)
        slots.withUnsafeBufferPointer { slots in
            pool.withUnsafeBufferPointer { pool in
                /// The next day of a slot between the query's days (a day number), read from the pool.
                func next(_ s: Slot) -> Int? {
                    let first = Int(s.start)
                    let end = first + Int(s.count)
                    func lowerBound(_ n: Int) -> Int {
                        var lo = first
                        var hi = end
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            if Int(pool[mid]) < n { lo = mid + 1 } else { hi = mid }
                        }
                        return lo
                    }
                    if s.weekly {
                        let begin = max(from, Int(s.from))
                        let stop = min(to, Int(s.until))
                        guard begin <= stop else { return nil }
                        let weekday = ((begin % 7 + 7) % 7 + 3) % 7 + 1
                        var d = begin + (Int(s.weekday) - weekday + 7) % 7
                        while d <= stop {
                            if s.count == 0 { return d }
                            let k = lowerBound(d)
                            if k == end || Int(pool[k]) != d { return d }
                            d += 7
                        }
                        return nil
                    }
                    let k = lowerBound(from)
                    return k < end && Int(pool[k]) <= to ? Int(pool[k]) : nil
                }
                func consider(_ i: Int32) {
                    let s = slots[Int(i)]
                    if s.level > asked { return }
                    if let language {
                        guard s.hasLanguages, listings[Int(i)].activity.languages.contains(language) else { return }
                    }
                    var distance: Double? = nil
                    if let near = q.near {
                        guard s.placed else { return }
                        let a = ActivityIndex.sine((s.latitude - near.latitude) * rad / 2)
                        let b = ActivityIndex.sine((s.longitude - near.longitude) * rad / 2)
                        let h = a * a + cosNear * s.cosLatitude * b * b
                        guard h <= hMax else { return }
                        distance = h
                    }
                    guard let n = next(s) else { return }
                    best.offer(Candidate(position: i, next: n, distance: distance))
                }
                for c in categories {
                    guard let near = q.near else {
                        for i in placed[c] ?? [] { consider(i) }
                        for i in unplaced[c] ?? [] { consider(i) }
                        continue
                    }
                    guard let order = placed[c], let lats = latitudes[c], let lons = longitudes[c] else { continue }
                    // One degree of latitude is at least 110.5 km; a little margin keeps the band a superset.
                    let radius = max(q.radiusKm, 1) * 1.01
                    let band = radius / 110.5
                    let cosine = cos(min(89, abs(near.latitude) + band) * Double.pi / 180)
                    let lonBand = cosine > 0.01 ? radius / (111.0 * cosine) : 360
                    var k = Occurrences.lowerBound(lats, near.latitude - band)
                    while k < lats.count && lats[k] <= near.latitude + band {
                        if abs(lons[k] - near.longitude) <= lonBand { consider(order[k]) }
                        k += 1
                    }
                }
            }
        }
        guard start < best.kept.count else { return ([], best.total) }
        let hits = best.kept[start...].map {
            ActivityFinder.Hit(
                listing: listings[Int($0.position)], next: Day(dayNumber: $0.next),
                distanceKm: $0.distance.map { 2 * earth * asin(min(1, sqrt($0))) })
        }
        return (hits, best.total)
    }

    /// The index with one listing added, replaced or (given nil) removed, without reading the others again.
    public func replacing(id: Int, with listing: ActivityListing?) -> ActivityIndex {
        var all = listings.filter { $0.id != id }
        if let listing { all.append(listing) }
        return ActivityIndex(all)
    }
}
