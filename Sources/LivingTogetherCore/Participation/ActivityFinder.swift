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
    public func next(from first: Day, to last: Day) -> Day? { occurrences.next(from: first, to: last) }
}

/// An activity's schedule with its dates parsed: the finder asks every listing for its next date on every search.
struct Occurrences: Sendable {
    var dates: [Day] = []
    var weekly: (weekday: Int, from: Day, until: Day, except: Set<Day>)?

    init(_ s: ActivitySchedule) {
        switch s.kind {
        case .dates: dates = Set(s.dates.compactMap { Day($0) }).sorted()
        case .weekly:
            if let w = s.weekday, (1...7).contains(w), let f = s.from.flatMap({ Day($0) }),
                let u = s.until.flatMap({ Day($0) })
            {
                weekly = (w, f, u, Set(s.except.compactMap { Day($0) }))
            }
        }
    }

    func next(from first: Day, to last: Day) -> Day? {
        if let w = weekly {
            let start = max(first, w.from)
            let stop = min(last, w.until)
            guard start <= stop else { return nil }
            var d = start.adding(days: (w.weekday - ActivitySchedule.weekday(of: start) + 7) % 7)
            while d <= stop {
                if !w.except.contains(d) { return d }
                d = d.adding(days: 7)
            }
            return nil
        }
        var lo = 0
        var hi = dates.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if dates[mid] < first { lo = mid + 1 } else { hi = mid }
        }
        return lo < dates.count && dates[lo] <= last ? dates[lo] : nil
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

    /// Whether a listing fits the query, with its next date and distance.
    static func hit(_ l: ActivityListing, _ q: ActivityQuery) -> Hit? {
        let a = l.activity
        if let c = q.category, a.category != c { return nil }
        if let level = q.level, let asked = a.level, asked > level { return nil }
        if let lang = q.language, lang != "nl", lang != "en", !a.languages.contains(lang) { return nil }
        var distance: Double? = nil
        if let near = q.near {
            guard let lat = l.latitude, let lon = l.longitude else { return nil }
            let d = distanceKm(near, (lat, lon))
            guard d <= max(q.radiusKm, 1) else { return nil }
            distance = d
        }
        guard let next = l.next(from: q.from, to: q.to) else { return nil }
        return Hit(listing: l, next: next, distanceKm: distance)
    }

    /// Soonest first, then nearest, then by id; the query's page of them and how many there are.
    static func page(_ hits: [Hit], _ q: ActivityQuery) -> (hits: [Hit], total: Int) {
        let sorted = hits.sorted { x, y in
            if x.next != y.next { return x.next < y.next }
            if let dx = x.distanceKm, let dy = y.distanceKm, dx != dy { return dx < dy }
            return x.listing.id < y.listing.id
        }
        let start = (q.page - 1) * q.perPage
        let page = start < sorted.count ? Array(sorted[start..<min(sorted.count, start + q.perPage)]) : []
        return (page, sorted.count)
    }

    /// The activities that fit, soonest first (then nearest, then by id), with their next date in the range.
    public static func find(_ q: ActivityQuery, in listings: [ActivityListing]) -> (hits: [Hit], total: Int) {
        page(listings.compactMap { hit($0, q) }, q)
    }
}

/// The published activities held for searching: per category, the placed ones sorted by latitude, so that a search
/// near a place reads only the band of latitudes its radius reaches (and checks the longitude before the distance).
public struct ActivityIndex: Sendable {
    private var placed: [ActivityCategory: [ActivityListing]] = [:]
    private var latitudes: [ActivityCategory: [Double]] = [:]
    private var unplaced: [ActivityCategory: [ActivityListing]] = [:]
    public private(set) var count = 0
    public private(set) var byID: [Int: ActivityListing] = [:]

    public init(_ listings: [ActivityListing]) {
        for l in listings {
            if l.latitude != nil && l.longitude != nil {
                placed[l.activity.category, default: []].append(l)
            } else {
                unplaced[l.activity.category, default: []].append(l)
            }
            byID[l.id] = l
        }
        for (c, list) in placed {
            let sorted = list.sorted { ($0.latitude ?? 0) < ($1.latitude ?? 0) }
            placed[c] = sorted
            latitudes[c] = sorted.map { $0.latitude ?? 0 }
        }
        count = listings.count
    }

    /// The same answer as `ActivityFinder.find` over every listing.
    public func find(_ q: ActivityQuery) -> (hits: [ActivityFinder.Hit], total: Int) {
        let categories = q.category.map { [$0] } ?? ActivityCategory.allCases
        var hits: [ActivityFinder.Hit] = []
        for c in categories {
            guard let near = q.near else {
                for l in placed[c] ?? [] { if let h = ActivityFinder.hit(l, q) { hits.append(h) } }
                for l in unplaced[c] ?? [] { if let h = ActivityFinder.hit(l, q) { hits.append(h) } }
                continue
            }
            guard let list = placed[c], let lats = latitudes[c] else { continue }
            // One degree of latitude is at least 110.5 km; a little margin keeps the band a superset.
            let radius = max(q.radiusKm, 1) * 1.01
            let band = radius / 110.5
            let cosine = cos(min(89, abs(near.latitude) + band) * Double.pi / 180)
            let lonBand = cosine > 0.01 ? radius / (111.0 * cosine) : 360
            var lo = 0
            var hi = lats.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if lats[mid] < near.latitude - band { lo = mid + 1 } else { hi = mid }
            }
            var i = lo
            while i < list.count && lats[i] <= near.latitude + band {
                let l = list[i]
                i += 1
                guard let lon = l.longitude, abs(lon - near.longitude) <= lonBand else { continue }
                if let h = ActivityFinder.hit(l, q) { hits.append(h) }
            }
        }
        return ActivityFinder.page(hits, q)
    }
}
