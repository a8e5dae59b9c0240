import Foundation

/// A level of the Common European Framework of Reference for languages; an activity asks one, or none.
public enum CEFRLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case a1, a2, b1, b2, c1, c2

    /// "A2", "a2", " b1 " read as levels; anything else (including "A3" or "C3") is nil.
    public init?(typed: String) {
        self.init(rawValue: typed.trimmingCharacters(in: .whitespaces).lowercased())
    }

    public var label: String { rawValue.uppercased() }

    public static func < (a: CEFRLevel, b: CEFRLevel) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}

/// What kind of participation an activity offers (the participation and networking programme's forms).
public enum ActivityCategory: String, Codable, Sendable, CaseIterable {
    case conversationTable, sport, culture, volunteering, buddy, introductoryPlacement, communityCentre
}

/// When an activity takes place: on given dates, or every week on a weekday between two days (with the dates it
/// skips), at the same time of day.
public struct ActivitySchedule: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case dates, weekly }
    public var kind: Kind
    /// The dates of a one-off or irregular activity.
    public var dates: [String]
    /// For a weekly activity: ISO weekday (1 Monday … 7 Sunday), the first and last day, and the days it skips.
    public var weekday: Int?
    public var from: String?
    public var until: String?
    public var except: [String]
    /// "14:00" and "16:00".
    public var start: String
    public var end: String

    public init(
        kind: Kind, dates: [String] = [], weekday: Int? = nil, from: String? = nil, until: String? = nil,
        except: [String] = [], start: String, end: String
    ) {
        self.kind = kind
        self.dates = dates
        self.weekday = weekday
        self.from = from
        self.until = until
        self.except = except
        self.start = start
        self.end = end
    }

    /// The length of one session of the activity in minutes (nil when the times are not a time range).
    public var minutes: Int? {
        guard let s = LocalDateTime.clockMinutes(start), let e = LocalDateTime.clockMinutes(end), e > s else {
            return nil
        }
        return e - s
    }

    /// The ISO weekday of a day (1 Monday … 7 Sunday); 1970-01-01 was a Thursday.
    public static func weekday(of day: Day) -> Int {
        let n = day.dayNumber
        return ((n % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// The days the activity takes place on between `first` and `last` (both included), at most `limit`.
    public func days(from first: Day, to last: Day, limit: Int = 1_000) -> [Day] {
        switch kind {
        case .dates:
            let inRange = Set(dates.compactMap { Day($0) }).filter { $0 >= first && $0 <= last }
            return Array(inRange.sorted().prefix(limit))
        case .weekly:
            guard let weekday, (1...7).contains(weekday), let from = from.flatMap({ Day($0) }),
                let until = until.flatMap({ Day($0) })
            else { return [] }
            let skipped = Set(except.compactMap { Day($0) })
            let start = max(first, from)
            let stop = min(last, until)
            guard start <= stop else { return [] }
            var d = start.adding(days: (weekday - Self.weekday(of: start) + 7) % 7)
            var out: [Day] = []
            while d <= stop && out.count < limit {
                if !skipped.contains(d) { out.append(d) }
                d = d.adding(days: 7)
            }
            return out
        }
    }

    /// Whether the activity takes place on `day`.
    public func takesPlace(on day: Day) -> Bool { !days(from: day, to: day, limit: 1).isEmpty }

    /// The problems of a schedule, by field name, as message keys with their arguments.
    public func problems() -> [(field: String, key: String, arguments: [String])] {
        var out: [(String, String, [String])] = []
        if minutes == nil {
            out.append(
                ("end", "error.participation.endBeforeStart", [String(end.prefix(10)), String(start.prefix(10))]))
        }
        switch kind {
        case .dates:
            if dates.isEmpty { out.append(("dates", "error.participation.noDates", [])) }
            for d in dates where Day(d) == nil {
                out.append(("dates", "error.participation.notADate", [String(d.prefix(20))]))
            }
            if dates.count > Self.maximumDates {
                out.append(("dates", "error.participation.tooManyDates", [String(Self.maximumDates)]))
            }
        case .weekly:
            if !(1...7).contains(weekday ?? 0) { out.append(("weekday", "error.participation.weekday", [])) }
            let f = from.flatMap { Day($0) }
            let u = until.flatMap { Day($0) }
            if f == nil { out.append(("from", "error.participation.firstDay", [])) }
            if u == nil { out.append(("until", "error.participation.lastDay", [])) }
            if let f, let u, u < f { out.append(("until", "error.participation.lastBeforeFirst", [])) }
            if let f, let u, u.days(since: f) > 3 * 366 { out.append(("until", "error.participation.tooLong", [])) }
            for d in except where Day(d) == nil {
                out.append(("except", "error.participation.notADate", [String(d.prefix(20))]))
            }
        }
        return out
    }

    public static let maximumDates = 366
}

/// An activity where newcomers practise Dutch and build a network, as the participation programme counts it: it
/// counts towards the required hours only when it meets both criteria (in a duo or a group, in a Dutch-speaking
/// context).
public struct Activity: Codable, Sendable, Equatable {
    public var id: String
    public var title: LocalizedText
    public var summary: LocalizedText
    /// The description in easy language (short sentences, common words).
    public var easy: LocalizedText
    public var category: ActivityCategory
    /// The Dutch level a participant needs (nil: none).
    public var level: CEFRLevel?
    public var inGroupOrDuo: Bool
    public var dutchSpeakingContext: Bool
    /// The languages the description is given in, besides Dutch and English.
    public var languages: [String]
    public var accessibility: LocalizedText?
    public var address: String
    public var capacity: Int?
    public var schedule: ActivitySchedule

    public init(
        id: String, title: LocalizedText, summary: LocalizedText, easy: LocalizedText, category: ActivityCategory,
        level: CEFRLevel?, inGroupOrDuo: Bool, dutchSpeakingContext: Bool, languages: [String] = [],
        accessibility: LocalizedText? = nil, address: String, capacity: Int?, schedule: ActivitySchedule
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.easy = easy
        self.category = category
        self.level = level
        self.inGroupOrDuo = inGroupOrDuo
        self.dutchSpeakingContext = dutchSpeakingContext
        self.languages = languages
        self.accessibility = accessibility
        self.address = address
        self.capacity = capacity
        self.schedule = schedule
    }

    /// Whether its hours count towards the programme's total.
    public var counts: Bool { inGroupOrDuo && dutchSpeakingContext }
}
