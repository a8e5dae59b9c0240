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

    public init(near: (latitude: Double, longitude: Double)? = nil, radiusKm: Double = 10, level: CEFRLevel? = nil,
                category: ActivityCategory? = nil, from: Day, to: Day? = nil, language: String? = nil, page: Int = 1,
                perPage: Int = 20) {
        self.near = near
        self.radiusKm = radiusKm.isFinite ? min(max(radiusKm, 0), Self.maximumRadiusKm) : 10
        self.level = level; self.category = category; self.from = from
        let last = to ?? from.adding(days: 30)
        self.to = min(max(last, from), from.adding(days: Self.maximumDays))
        self.language = language
        self.page = max(1, min(page, 10_000)); self.perPage = max(1, min(perPage, 100))
    }

    public static func == (a: ActivityQuery, b: ActivityQuery) -> Bool {
        a.near?.latitude == b.near?.latitude && a.near?.longitude == b.near?.longitude && a.radiusKm == b.radiusKm
            && a.level == b.level && a.category == b.category && a.from == b.from && a.to == b.to && a.language == b.language
            && a.page == b.page && a.perPage == b.perPage
    }
}

/// One activity as the finder holds it: where it is and what it asks.
public struct ActivityListing: Sendable {
    public var id: Int
    public var activity: Activity
    public var latitude: Double?
    public var longitude: Double?
    public init(id: Int, activity: Activity, latitude: Double?, longitude: Double?) {
        self.id = id; self.activity = activity; self.latitude = latitude; self.longitude = longitude
    }
}

public enum ActivityFinder {
    /// Great-circle distance in km (haversine, mean Earth radius).
    public static func distanceKm(_ a: (latitude: Double, longitude: Double), _ b: (latitude: Double, longitude: Double)) -> Double {
        let r = 6371.0088, rad = Double.pi / 180
        let dLat = (b.latitude - a.latitude) * rad, dLon = (b.longitude - a.longitude) * rad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.latitude * rad) * cos(b.latitude * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }

    public struct Hit: Sendable {
        public var listing: ActivityListing
        public var next: Day
        public var distanceKm: Double?
    }

    /// The activities that fit, soonest first (then nearest, then by id), with their next date in the range.
    public static func find(_ q: ActivityQuery, in listings: [ActivityListing]) -> (hits: [Hit], total: Int) {
        var hits: [Hit] = []
        for l in listings {
            let a = l.activity
            if let c = q.category, a.category != c { continue }
            if let level = q.level, let asked = a.level, asked > level { continue }
            if let lang = q.language, lang != "nl", lang != "en", !a.languages.contains(lang) { continue }
            var distance: Double? = nil
            if let near = q.near {
                guard let lat = l.latitude, let lon = l.longitude else { continue }
                let d = distanceKm(near, (lat, lon))
                guard d <= max(q.radiusKm, 1) else { continue }
                distance = d
            }
            guard let next = a.schedule.days(from: q.from, to: q.to, limit: 1).first else { continue }
            hits.append(Hit(listing: l, next: next, distanceKm: distance))
        }
        hits.sort { x, y in
            if x.next != y.next { return x.next < y.next }
            if let dx = x.distanceKm, let dy = y.distanceKm, dx != dy { return dx < dy }
            return x.listing.id < y.listing.id
        }
        let start = (q.page - 1) * q.perPage
        let page = start < hits.count ? Array(hits[start..<min(hits.count, start + q.perPage)]) : []
        return (page, hits.count)
    }
}
