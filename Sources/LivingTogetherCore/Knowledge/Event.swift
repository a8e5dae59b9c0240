import Foundation

/// An event of the knowledge module: a webinar, a conference, a site visit or a learning-network session, with its
/// venues and rooms (and what each room means for access), and a programme of sessions with speakers. Times are
/// local to the event's time zone, as a programme prints them.
public struct Event: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case webinar, conference, siteVisit, learningSession }

    public struct Room: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var capacity: Int?
        /// Whether the room can be reached without steps (nil: not known).
        public var stepFree: Bool?
        public var accessibility: LocalizedText?
        public init(id: String, name: String, capacity: Int? = nil, stepFree: Bool? = nil, accessibility: LocalizedText? = nil) {
            self.id = id; self.name = name; self.capacity = capacity; self.stepFree = stepFree; self.accessibility = accessibility
        }
    }

    public struct Venue: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var address: String?
        public var accessibility: LocalizedText?
        public var rooms: [Room]
        public init(id: String, name: String, address: String? = nil, accessibility: LocalizedText? = nil, rooms: [Room]) {
            self.id = id; self.name = name; self.address = address; self.accessibility = accessibility; self.rooms = rooms
        }
    }

    public struct Speaker: Codable, Sendable, Equatable {
        public var name: String
        public var role: String
        public var organisation: String
        public var bio: String?
        public init(name: String, role: String, organisation: String, bio: String? = nil) {
            self.name = name; self.role = role; self.organisation = organisation; self.bio = bio
        }
    }

    public struct Material: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable { case recording, slides, material }
        public var kind: Kind
        public var title: String
        public var url: String
        public init(kind: Kind, title: String, url: String) { self.kind = kind; self.title = title; self.url = url }
    }

    public struct Session: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable {
            case plenary, parallel, workshop, siteVisit, `break`, exhibition
        }
        public var id: String
        public var kind: Kind
        public var title: LocalizedText
        public var description: LocalizedText
        public var start: LocalDateTime
        public var end: LocalDateTime
        /// A room of one of the event's venues; nil for a session elsewhere (a city tour, a boat).
        public var room: String?
        public var speakers: [Speaker]
        /// Places in the session (nil: as many as the event).
        public var capacity: Int?
        /// Library records the session presents.
        public var practices: [String]
        /// Recordings, slides and materials, added afterwards.
        public var materials: [Material]

        /// Whether people register for it: breaks and the exhibition are open to everyone at the event.
        public var takesRegistrations: Bool { kind != .break && kind != .exhibition }
        public var minutes: Int { end.minutes(since: start) }

        public init(id: String, kind: Kind, title: LocalizedText, description: LocalizedText, start: LocalDateTime,
                    end: LocalDateTime, room: String?, speakers: [Speaker] = [], capacity: Int? = nil,
                    practices: [String] = [], materials: [Material] = []) {
            self.id = id; self.kind = kind; self.title = title; self.description = description; self.start = start
            self.end = end; self.room = room; self.speakers = speakers; self.capacity = capacity
            self.practices = practices; self.materials = materials
        }
    }

    public var id: String
    public var kind: Kind
    public var title: LocalizedText
    public var summary: LocalizedText
    public var description: LocalizedText
    public var organiser: String
    /// An IANA time zone ("Europe/Brussels").
    public var timeZone: String
    public var start: LocalDateTime
    public var end: LocalDateTime
    /// The address to join online.
    public var online: String?
    /// Places at the event (nil: not limited).
    public var capacity: Int?
    public var contact: String?
    public var accessibility: LocalizedText?
    /// The languages the event is held in.
    public var languages: [String]
    public var translations: [String: Practice.Translation]
    public var note: LocalizedText?
    public var source: Practice.Source?
    public var venues: [Venue]
    public var sessions: [Session]

    public init(id: String, kind: Kind, title: LocalizedText, summary: LocalizedText, description: LocalizedText,
                organiser: String, timeZone: String, start: LocalDateTime, end: LocalDateTime, online: String? = nil,
                capacity: Int? = nil, contact: String? = nil, accessibility: LocalizedText? = nil, languages: [String],
                translations: [String: Practice.Translation], note: LocalizedText? = nil, source: Practice.Source? = nil,
                venues: [Venue], sessions: [Session]) {
        self.id = id; self.kind = kind; self.title = title; self.summary = summary; self.description = description
        self.organiser = organiser; self.timeZone = timeZone; self.start = start; self.end = end; self.online = online
        self.capacity = capacity; self.contact = contact; self.accessibility = accessibility; self.languages = languages
        self.translations = translations; self.note = note; self.source = source; self.venues = venues
        self.sessions = sessions
    }

    public var rooms: [Room] { venues.flatMap(\.rooms) }
    public func room(_ id: String?) -> Room? { id.flatMap { id in rooms.first { $0.id == id } } }
    public func venue(ofRoom id: String?) -> Venue? { id.flatMap { id in venues.first { $0.rooms.contains { $0.id == id } } } }
    public func session(_ id: String) -> Session? { sessions.first { $0.id == id } }
    /// The sessions in programme order: by start, then by the order of their rooms.
    public var orderedSessions: [Session] {
        let order = Dictionary(lastOf: rooms.enumerated().map { ($0.element.id, $0.offset) })
        return sessions.enumerated().sorted { a, b in
            if a.element.start != b.element.start { return a.element.start < b.element.start }
            let ra = a.element.room.flatMap { order[$0] } ?? Int.max, rb = b.element.room.flatMap { order[$0] } ?? Int.max
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }
    /// The days the event spans, in order.
    public var days: [Day] {
        var out: [Day] = []
        var d = start.day
        while d <= end.day && out.count < 366 { out.append(d); d = d.adding(days: 1) }
        return out
    }
    /// Whether the event has ended by `now` (materials and the follow-up message come afterwards).
    public func hasEnded(at now: Date) -> Bool { (end.date(in: timeZone) ?? .distantFuture) <= now }
}

/// Where an event stands: a draft its organiser prepares, published (open for registration), or cancelled (kept,
/// so that its address and calendar entries say so).
public enum EventStatus: String, Codable, Sendable, CaseIterable {
    case draft, published, cancelled
}

/// A day and a time of day without a time zone ("2024-04-19T09:00"), ordered; the event says where it is.
public struct LocalDateTime: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var day: Day
    /// Minutes since midnight, 0…1439.
    public var minute: Int

    public init(day: Day, minute: Int) { self.day = day; self.minute = minute }

    /// "2024-04-19T09:00" (a space instead of the T, and seconds ":00", are accepted).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.count >= 16, t.count <= 19 else { return nil }
        let sep = t.index(t.startIndex, offsetBy: 10)
        guard t[sep] == "T" || t[sep] == " ", let day = Day(String(t[..<sep])) else { return nil }
        var clock = String(t[t.index(after: sep)...])
        if clock.count == 8, clock.hasSuffix(":00") { clock = String(clock.prefix(5)) }
        guard let minute = Self.clockMinutes(clock) else { return nil }
        self.init(day: day, minute: minute)
    }

    /// "09:00" → 540; nil for anything else than HH:MM within a day.
    public static func clockMinutes(_ s: String) -> Int? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let v = LocalDateTime(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(s.prefix(40))\" is not a time like 2024-04-19T09:00")
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public var clock: String { String(format: "%02d:%02d", minute / 60, minute % 60) }
    public var description: String { "\(day)T\(clock)" }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        a.day != b.day ? a.day < b.day : a.minute < b.minute
    }

    /// Minutes from `other` to this time (days counted as 1,440 minutes; the clock change of a night is ignored).
    public func minutes(since other: LocalDateTime) -> Int { day.days(since: other.day) * 1440 + minute - other.minute }

    /// The instant in `timeZone` (nil for an unknown zone).
    public func date(in timeZone: String) -> Date? {
        guard let zone = TimeZone(identifier: timeZone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day,
                                                  hour: minute / 60, minute: minute % 60))
    }
}

/// The shipped events and uploaded ones: a versioned file with its licence.
public struct EventLibrary: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var licence: String
    public var events: [Event]
}

public enum EventLoader {
    public static let maximumSessions = 500
    public static let maximumSpeakers = 60
    public static let maximumCapacity = 1_000_000
    public static let maximumTextLength = 20_000

    public static func load(_ data: Data, file: String) -> Result<EventLibrary, FrameworkProblems> {
        switch ContentChecker.decode(EventLibrary.self, from: data, file: file) {
        case .failure(let p): return .failure(p)
        case .success(let library):
            var c = ContentChecker(file: file)
            c.identifier(library.id, "id")
            if library.licence.trimmingCharacters(in: .whitespaces).isEmpty { c.fail("licence", "is empty") }
            c.unique(library.events.map(\.id), "events")
            for (i, e) in library.events.enumerated() { check(e, "events[\(i)]", into: &c) }
            return c.errors.isEmpty ? .success(library) : .failure(FrameworkProblems(c.errors))
        }
    }

    /// One event's document, as an organiser uploads it or a client sends it.
    public static func loadEvent(_ data: Data, file: String) -> Result<Event, FrameworkProblems> {
        switch ContentChecker.decode(Event.self, from: data, file: file) {
        case .failure(let p): return .failure(p)
        case .success(let event):
            var c = ContentChecker(file: file)
            check(event, "", into: &c)
            return c.errors.isEmpty ? .success(event) : .failure(FrameworkProblems(c.errors))
        }
    }

    static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// The checks of one event. `practices`: the library's record addresses, when known (links to others are named).
    public static func check(_ e: Event, _ path: String, into c: inout ContentChecker, practices: Set<String>? = nil) {
        func p(_ name: String) -> String { join(path, name) }
        c.identifier(e.id, p("id"))
        c.text(e.title, p("title"))
        c.text(e.summary, p("summary"))
        for (lang, s) in e.summary.values where s.count > Practice.maximumSummaryLength {
            c.fail(p("summary.\(lang)"), "has \(s.count) characters; a summary has at most \(Practice.maximumSummaryLength)")
        }
        for (name, text) in [("title", e.title), ("description", e.description)] {
            for (lang, s) in text.values where s.count > maximumTextLength {
                c.fail(p("\(name).\(lang)"), "has \(s.count) characters; at most \(maximumTextLength)")
            }
        }
        if e.organiser.trimmingCharacters(in: .whitespaces).isEmpty { c.fail(p("organiser"), "is empty") }
        if TimeZone(identifier: e.timeZone) == nil {
            c.fail(p("timeZone"), "\"\(e.timeZone.prefix(60))\" is not a time zone like Europe/Brussels")
        }
        if e.end <= e.start { c.fail(p("end"), "ends (\(e.end)) before or when it starts (\(e.start))") }
        if e.end.day.days(since: e.start.day) > 31 { c.fail(p("end"), "an event lasts at most 31 days") }
        if let online = e.online, !isWebAddress(online) { c.fail(p("online"), "is not a web address (https://…)") }
        if let n = e.capacity, !(1...maximumCapacity).contains(n) { c.fail(p("capacity"), "\(n) is not a number of places") }
        for lang in ContentChecker.requiredLanguages where e.translations[lang] == nil {
            c.fail(p("translations.\(lang)"), "say whether the \(lang) text is human or machine-made")
        }
        if e.venues.isEmpty && e.online == nil && e.kind != .webinar {
            c.fail(p("venues"), "name a venue, or give the online address")
        }
        c.unique(e.venues.map(\.id), p("venues"))
        var roomIds: [String] = []
        for (i, v) in e.venues.enumerated() {
            c.identifier(v.id, p("venues[\(i)].id"))
            if v.name.trimmingCharacters(in: .whitespaces).isEmpty { c.fail(p("venues[\(i)].name"), "is empty") }
            for (j, r) in v.rooms.enumerated() {
                c.identifier(r.id, p("venues[\(i)].rooms[\(j)].id"))
                if r.name.trimmingCharacters(in: .whitespaces).isEmpty { c.fail(p("venues[\(i)].rooms[\(j)].name"), "is empty") }
                if let n = r.capacity, !(1...maximumCapacity).contains(n) {
                    c.fail(p("venues[\(i)].rooms[\(j)].capacity"), "\(n) is not a number of places")
                }
                roomIds.append(r.id)
            }
        }
        var seenRooms = Set<String>()
        for id in roomIds where !seenRooms.insert(id).inserted { c.fail(p("venues"), "the room id \"\(id)\" is used twice") }
        if e.sessions.count > maximumSessions { c.fail(p("sessions"), "has \(e.sessions.count) sessions; at most \(maximumSessions)") }
        c.unique(e.sessions.map(\.id), p("sessions"))
        for (i, s) in e.sessions.prefix(maximumSessions).enumerated() {
            let sp = p("sessions[\(i)]")
            c.identifier(s.id, "\(sp).id")
            c.text(s.title, "\(sp).title")
            if s.end <= s.start { c.fail("\(sp).end", "ends (\(s.end)) before or when it starts (\(s.start))") }
            if s.start < e.start || s.end > e.end {
                c.fail("\(sp).start", "\(s.start)–\(s.end.clock) is outside the event (\(e.start)–\(e.end))")
            }
            if let r = s.room, !seenRooms.contains(r) { c.fail("\(sp).room", "\"\(r.prefix(60))\" is not a room of the event") }
            if let n = s.capacity, !(1...maximumCapacity).contains(n) { c.fail("\(sp).capacity", "\(n) is not a number of places") }
            if s.speakers.count > maximumSpeakers { c.fail("\(sp).speakers", "at most \(maximumSpeakers) speakers") }
            for (j, sk) in s.speakers.enumerated() where sk.name.trimmingCharacters(in: .whitespaces).isEmpty {
                c.fail("\(sp).speakers[\(j)].name", "is empty")
            }
            for (j, m) in s.materials.enumerated() {
                if m.title.trimmingCharacters(in: .whitespaces).isEmpty { c.fail("\(sp).materials[\(j)].title", "is empty") }
                if !isWebAddress(m.url) { c.fail("\(sp).materials[\(j)].url", "is not a web address (https://…)") }
            }
            if let known = practices {
                for (j, slug) in s.practices.enumerated() where !known.contains(slug) {
                    c.fail("\(sp).practices[\(j)]", "\"\(slug.prefix(60))\" is not a record of the library")
                }
            }
        }
    }

    /// An http(s) address of reasonable length, without spaces.
    public static func isWebAddress(_ s: String) -> Bool {
        (s.hasPrefix("https://") || s.hasPrefix("http://")) && s.count <= 2_000 && s.count > 8
            && !s.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
    }
}

public enum ShippedEvents {
    public static func url() -> URL? {
        Bundle.module.url(forResource: "events.v1", withExtension: "json", subdirectory: "Resources/Knowledge")
    }
}

extension Day {
    /// Days since 1970-01-01 (the proleptic Gregorian calendar; negative before).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(dayNumber n: Int) {
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public func adding(days: Int) -> Day { Day(dayNumber: dayNumber + days) }
    public func days(since other: Day) -> Int { dayNumber - other.dayNumber }
}
