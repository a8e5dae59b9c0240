import Foundation

/// An event's programme as a grid: per day, one row per start time and one column per room (and one for sessions
/// outside the rooms, such as site visits). A session sits in the row of its start and says its own end.
public struct EventGrid: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        /// nil: the sessions outside the event's rooms.
        public var room: String?
        public var name: String
    }

    public struct Row: Sendable, Equatable {
        public var start: LocalDateTime
        /// Per column, the sessions starting at this time in that room.
        public var cells: [[Event.Session]]
    }

    public struct DayGrid: Sendable, Equatable {
        public var day: Day
        public var columns: [Column]
        public var rows: [Row]
    }

    public var days: [DayGrid]

    /// `elsewhere`: the name of the column of sessions without a room.
    public init(_ event: Event, elsewhere: String) {
        var out: [DayGrid] = []
        let sessions = event.orderedSessions
        for day in event.days {
            let today = sessions.filter { $0.start.day == day }
            guard !today.isEmpty else { continue }
            var columns = event.rooms.filter { r in today.contains { $0.room == r.id } }.map { Column(room: $0.id, name: $0.name) }
            if today.contains(where: { $0.room == nil }) { columns.append(Column(room: nil, name: elsewhere)) }
            let starts = Array(Set(today.map(\.start))).sorted()
            let rows = starts.map { start in
                Row(start: start, cells: columns.map { col in today.filter { $0.start == start && $0.room == col.room } })
            }
            out.append(DayGrid(day: day, columns: columns, rows: rows))
        }
        days = out
    }
}

/// Whether a registration gets a place or a place on the waiting list, and who moves up when places free.
public enum EventSeats {
    public enum Status: String, Codable, Sendable, CaseIterable { case registered, waiting, cancelled }

    /// A new registration when `taken` places of `capacity` (nil: no limit) are taken and `waiting` people wait:
    /// nobody jumps the queue.
    public static func status(capacity: Int?, taken: Int, waiting: Int) -> Status {
        guard let capacity else { return .registered }
        return taken < capacity && waiting == 0 ? .registered : .waiting
    }

    /// The first of the waiting list (in the order they registered) who get the places still free.
    public static func promoted<ID>(capacity: Int?, taken: Int, waitingInOrder: [ID]) -> [ID] {
        guard let capacity else { return waitingInOrder }
        return Array(waitingInOrder.prefix(max(0, capacity - taken)))
    }
}

/// What a participant asks so that they can take part, as structured data an organiser can count.
public struct AccessibilityNeeds: Codable, Sendable, Equatable {
    /// Sign languages an interpreter can be asked for.
    public enum SignLanguage: String, Codable, Sendable, CaseIterable {
        /// Flemish, Dutch, French-Belgian, British, German, International Sign.
        case vgt, ngt, lsfb, bsl, dgs, `is`
    }
    public var signLanguage: SignLanguage?
    public var hearingLoop: Bool
    public var stepFree: Bool
    public var diet: String?
    public var other: String?

    public static let maximumTextLength = 500

    public init(signLanguage: SignLanguage? = nil, hearingLoop: Bool = false, stepFree: Bool = false, diet: String? = nil,
                other: String? = nil) {
        self.signLanguage = signLanguage; self.hearingLoop = hearingLoop; self.stepFree = stepFree
        self.diet = diet.flatMap { $0.isEmpty ? nil : $0 }; self.other = other.flatMap { $0.isEmpty ? nil : $0 }
    }

    public var isEmpty: Bool { signLanguage == nil && !hearingLoop && !stepFree && diet == nil && other == nil }

    /// The organiser's summary of the needs of everyone who holds a place.
    public struct Summary: Sendable, Equatable {
        public var signLanguages: [SignLanguage: Int] = [:]
        public var hearingLoop = 0
        public var stepFree = 0
        public var diets: [String] = []
        public var others: [String] = []
        public var people = 0
        public init() {}
    }

    public static func summarise(_ needs: [AccessibilityNeeds]) -> Summary {
        var s = Summary()
        for n in needs where !n.isEmpty {
            s.people += 1
            if let l = n.signLanguage { s.signLanguages[l, default: 0] += 1 }
            if n.hearingLoop { s.hearingLoop += 1 }
            if n.stepFree { s.stepFree += 1 }
            if let d = n.diet { s.diets.append(d) }
            if let o = n.other { s.others.append(o) }
        }
        return s
    }
}

/// An iCalendar document (RFC 5545): events with times in UTC, texts escaped, lines folded at 75 octets.
public struct ICalendar: Sendable {
    public struct Item: Sendable, Equatable {
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var description: String
        public var location: String?
        public var url: String?
        public var cancelled = false
        public init(uid: String, start: Date, end: Date, summary: String, description: String, location: String? = nil,
                    url: String? = nil, cancelled: Bool = false) {
            self.uid = uid; self.start = start; self.end = end; self.summary = summary; self.description = description
            self.location = location; self.url = url; self.cancelled = cancelled
        }
    }

    public var name: String
    public var items: [Item]
    public var stamp: Date

    public init(name: String, items: [Item], stamp: Date) { self.name = name; self.items = items; self.stamp = stamp }

    public static func utc(_ d: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
                      c.minute ?? 0, c.second ?? 0)
    }

    /// A TEXT value: backslash, semicolon, comma and line ends escaped.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets without splitting a character.
    public static func fold(_ line: String) -> String {
        var out = "", count = 0
        for ch in line {
            let n = String(ch).utf8.count
            if count + n > 75 { out += "\r\n "; count = 1 }
            out.append(ch); count += n
        }
        return out + "\r\n"
    }

    public var text: String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Living Together//Events//EN", "CALSCALE:GREGORIAN",
                     "METHOD:PUBLISH", "X-WR-CALNAME:\(Self.escape(name))"]
        let stamp = Self.utc(stamp)
        for item in items {
            lines += ["BEGIN:VEVENT", "UID:\(item.uid)", "DTSTAMP:\(stamp)", "DTSTART:\(Self.utc(item.start))",
                      "DTEND:\(Self.utc(item.end))", "SUMMARY:\(Self.escape(item.summary))"]
            if !item.description.isEmpty { lines.append("DESCRIPTION:\(Self.escape(item.description))") }
            if let l = item.location, !l.isEmpty { lines.append("LOCATION:\(Self.escape(l))") }
            if let u = item.url { lines.append("URL:\(u)") }
            lines.append("STATUS:\(item.cancelled ? "CANCELLED" : "CONFIRMED")")
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined()
    }
}
