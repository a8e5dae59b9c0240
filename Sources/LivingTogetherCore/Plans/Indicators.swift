import Foundation

/// A value of an indicator reported by one organisation (the municipality or a partner) on a day.
/// Values are levels reached so far ("persons guided since the start"), so an organisation's latest
/// value counts, and the organisations' latest values add up to the total (shared measurement).
public struct IndicatorValue: Sendable, Equatable {
    public var reporter: Int
    public var day: Day
    public var value: Double
    public init(reporter: Int, day: Day, value: Double) { self.reporter = reporter; self.day = day; self.value = value }
}

/// A calendar day, compared without time zones ("2025-03-31").
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public init(_ year: Int, _ month: Int, _ day: Int) { self.year = year; self.month = month; self.day = day }

    public init?(_ text: String) {
        // Year-month-day as typed by people and date fields; years beyond 1…9999 are typing errors (and would
        // overflow the month arithmetic of `adding(months:)`).
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.count <= 4 ? Int($0) : nil }
        guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2], (1...9999).contains(y),
              (1...12).contains(m), (1...31).contains(d),
              d <= Day.daysIn(month: m, year: y) else { return nil }
        self.init(y, m, d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    /// The same day `months` later (clamped to the month's last day).
    public func adding(months: Int) -> Day {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return Day(y, m, min(day, Day.daysIn(month: m, year: y)))
    }
}

/// How the values of several organisations on one indicator make its shared figure. Counts and sums of money add
/// up; a yes/no indicator ("plan adopted": a count whose maximum is 1) is yes once anyone reports yes, never
/// "2 of target 1"; percentages are averaged, never 130 %.
public enum IndicatorCombination: Sendable, Equatable {
    case sum, any, mean

    public static func of(scale: IndicatorScale, maximum: Double?) -> IndicatorCombination {
        switch scale {
        case .percent: return .mean
        case .count where maximum == 1: return .any
        default: return .sum
        }
    }

    public func combine(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        switch self {
        case .sum: return values.reduce(0, +)
        case .any: return values.max()
        case .mean: return values.reduce(0, +) / Double(values.count)
        }
    }
}

public enum IndicatorMath {
    /// Each reporter's latest value on or before `day`.
    public static func latestByReporter(_ values: [IndicatorValue], asOf day: Day) -> [Int: IndicatorValue] {
        var latest: [Int: IndicatorValue] = [:]
        for v in values where v.day <= day {
            // A later entry for the same day replaces an earlier one (a correction).
            if let current = latest[v.reporter], current.day > v.day { continue }
            latest[v.reporter] = v
        }
        return latest
    }

    /// The shared total on a day: every reporter's latest value, combined as the indicator's kind asks (a sum of
    /// counts and amounts; for a yes/no indicator whether anyone reported yes; the mean of percentages). Nil when
    /// nobody reported yet.
    public static func total(_ values: [IndicatorValue], asOf day: Day, combining: IndicatorCombination = .sum) -> Double? {
        combining.combine(latestByReporter(values, asOf: day).values.map(\.value))
    }

    /// How far from baseline to target a value is, 0…1 (beyond the target stays 1), for either direction.
    /// Nil when the target equals the baseline or points the wrong way.
    public static func progress(value: Double, baseline: Double, target: Double, direction: Catalogue.Indicator.Direction) -> Double? {
        let span = target - baseline
        guard span != 0, (direction == .increase) == (span > 0) else { return nil }
        return min(max((value - baseline) / span, 0), 1)
    }
}

/// What needs attention in a plan: actions past their end date and not done, and actions without a
/// progress update for six months (the coordinator's view lists both).
public enum PlanFollowUp {
    public enum Status: String, Sendable, CaseIterable { case planned, running, done, stopped }

    public struct Item: Sendable, Equatable {
        public var id: Int
        public var status: Status
        public var start: Day
        public var end: Day
        public var lastUpdate: Day?
        public init(id: Int, status: Status, start: Day, end: Day, lastUpdate: Day?) {
            self.id = id; self.status = status; self.start = start; self.end = end; self.lastUpdate = lastUpdate
        }
    }

    public static func isOverdue(_ item: Item, today: Day) -> Bool {
        (item.status == .planned || item.status == .running) && item.end < today
    }

    /// Running (or due to have started) and no update in the last six months, counted from the start when there was none.
    public static func isStale(_ item: Item, today: Day, months: Int = 6) -> Bool {
        guard item.status == .running || (item.status == .planned && item.start <= today) else { return false }
        let since = item.lastUpdate ?? item.start
        return since.adding(months: months) < today
    }
}
