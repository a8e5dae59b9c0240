import Foundation

/// The organiser's record of one participant on one date of an activity: present for some minutes, or absent.
public struct Attendance: Codable, Sendable, Equatable {
    public var day: Day
    public var minutes: Int
    public var present: Bool
    public init(day: Day, minutes: Int, present: Bool) {
        self.day = day
        self.minutes = minutes
        self.present = present
    }
}

extension Day: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = Day(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(s.prefix(20))\" is not a date")
        }
        self = d
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The rules of the participation hours: what an organiser may record, and how far a participant is.
public enum ParticipationHours {
    /// The programme's required total in Flanders (a setting of the platform may change it).
    public static let defaultRequiredHours = 40

    public enum Problem: Equatable, Sendable {
        /// The activity does not take place on that date.
        case notADateOfTheActivity
        /// More minutes than one session of the activity lasts.
        case beyondDuration(maximum: Int)
        case negative
        /// A date after today.
        case future
        /// The person holds no place in the activity.
        case notRegistered
    }

    /// The problems of a date's attendance, by the person's id.
    public struct Problems: Error, Equatable, Sendable {
        public var byPerson: [Int: Problem]
        public init(_ byPerson: [Int: Problem]) { self.byPerson = byPerson }
    }

    /// What is wrong with recording `minutes` on `day` for `activity` (nil: it may be recorded).
    public static func check(_ minutes: Int, on day: Day, activity: Activity, today: Day) -> Problem? {
        if minutes < 0 { return .negative }
        if day > today { return .future }
        guard activity.schedule.takesPlace(on: day) else { return .notADateOfTheActivity }
        if let max = activity.schedule.minutes, minutes > max { return .beyondDuration(maximum: max) }
        return nil
    }

    /// A participant's progress: the minutes that count (present, at activities that meet both criteria) against the
    /// required total.
    public struct Progress: Equatable, Sendable {
        public var countedMinutes: Int
        public var otherMinutes: Int
        public var requiredHours: Int
        public var hours: Double { Double(countedMinutes) / 60 }
        public var remainingHours: Double { max(0, Double(requiredHours) - hours) }
        public var complete: Bool { countedMinutes >= requiredHours * 60 }
    }

    public static func progress(
        _ records: [(activity: Activity, attendance: Attendance)], requiredHours: Int = defaultRequiredHours
    )
        -> Progress
    {
        var counted = 0
        var other = 0
        for r in records where r.attendance.present && r.attendance.minutes > 0 {
            if r.activity.counts { counted += r.attendance.minutes } else { other += r.attendance.minutes }
        }
        return Progress(countedMinutes: counted, otherMinutes: other, requiredHours: requiredHours)
    }

    /// Figures of fewer than this many people are hidden (so that nobody can be recognised in them).
    public static let smallestShownGroup = 5

    /// A count as it may be shown: nil when it is from 1 to 4.
    public static func shown(_ count: Int) -> Int? { count > 0 && count < smallestShownGroup ? nil : count }
}
