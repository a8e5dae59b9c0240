import Foundation

/// An event's programme in the frab schedule format that conference apps read (schedule.xml, and its JSON form
/// described by c3voc's schema): days, rooms and their events with start, duration, persons and links.
public struct FrabSchedule: Sendable {
    public let event: Event
    public let base: String
    public let slug: String
    public let language: String
    public let version: String

    public init(_ event: Event, base: String, slug: String, language: String, version: String) {
        self.event = event; self.base = base; self.slug = slug; self.language = language; self.version = version
    }

    /// A stable UUID for a name (two 64-bit FNV-1a hashes laid out as a version-8 UUID).
    public static func guid(_ name: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
            for b in name.utf8 { h ^= UInt64(b); h = h &* 0x0000_0100_0000_01B3 }
            return h
        }
        var hi = fnv(0), lo = fnv(0x9E37_79B9_7F4A_7C15)
        hi = (hi & ~0x0000_0000_0000_F000) | 0x0000_0000_0000_8000
        lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let h = String(format: "%016llx", hi), l = String(format: "%016llx", lo)
        let a = Array(h), b = Array(l)
        return "\(String(a[0..<8]))-\(String(a[8..<12]))-\(String(a[12..<16]))-\(String(b[0..<4]))-\(String(b[4..<16]))"
    }

    /// "01:15" for 75 minutes.
    public static func duration(_ minutes: Int) -> String {
        let m = max(0, minutes)
        return String(format: "%02d:%02d", m / 60, m % 60)
    }

    /// An instant with the event's offset ("2024-04-19T09:00:00+02:00").
    public func timestamp(_ t: LocalDateTime) -> String {
        guard let date = t.date(in: event.timeZone), let zone = TimeZone(identifier: event.timeZone) else {
            return t.description + ":00"
        }
        let offset = zone.secondsFromGMT(for: date) / 60
        let sign = offset < 0 ? "-" : "+"
        return "\(t.description):00\(sign)\(String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60))"
    }

    public struct Slot: Sendable {
        public var id: Int
        public var guid: String
        public var session: Event.Session
        public var roomName: String
    }

    /// The rooms in programme order (sessions outside the rooms under "Elsewhere"/the venue name).
    public var elsewhere: String { event.kind == .webinar ? "Online" : "Elsewhere" }

    public func roomName(_ s: Event.Session) -> String { event.room(s.room)?.name ?? elsewhere }

    public var roomNames: [String] {
        var names: [String] = []
        for s in event.orderedSessions where !names.contains(roomName(s)) { names.append(roomName(s)) }
        let order = event.rooms.map(\.name) + [elsewhere]
        return names.sorted { (order.firstIndex(of: $0) ?? .max) < (order.firstIndex(of: $1) ?? .max) }
    }

    public var days: [(index: Int, day: Day, slots: [Slot])] {
        let sessions = event.orderedSessions
        var out: [(index: Int, day: Day, slots: [Slot])] = []
        var number = 0
        for (i, day) in event.days.enumerated() {
            let slots = sessions.filter { $0.start.day == day }.map { s -> Slot in
                number += 1
                return Slot(id: (event.sessions.firstIndex { $0.id == s.id } ?? 0) + 1, guid: Self.guid("\(slug)/\(s.id)"),
                            session: s, roomName: roomName(s))
            }
            out.append((i + 1, day, slots))
        }
        return out
    }

    public func url(_ s: Event.Session) -> String { "\(base)/events/\(slug)/sessions/\(s.id)" }

    func persons(_ s: Event.Session) -> [(id: Int, name: String)] {
        s.speakers.map { (Int(Self.guidNumber("\($0.name)")), $0.name) }
    }

    /// A positive number for a person's name (frab ids are integers).
    static func guidNumber(_ name: String) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in name.utf8 { h ^= UInt32(b); h = h &* 16_777_619 }
        return (h & 0x3FFF_FFFF) + 1
    }

    static func xmlEscape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Characters XML 1.0 does not allow are left out.
                let v = ch.value
                if v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
                    || (0x10000...0x10FFFF).contains(v) { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// The conference's short name: `[a-z0-9_]`, at least four characters (the address with "_" for "-").
    public var acronym: String {
        let a = slug.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? String($0) : "_" }.joined()
        return a.count >= 4 ? a : a + String(repeating: "_", count: 4 - a.count)
    }

    /// A session's slug: the acronym, its number and its id ("mechelen_2024-3-welcome").
    public func sessionSlug(_ slot: Slot) -> String { "\(acronym)-\(slot.id)-\(slot.session.id)" }

    /// What a conference app calls a material.
    static func linkType(_ k: Event.Material.Kind) -> String {
        switch k {
        case .slides: return "slides"
        case .recording: return "media"
        case .material: return "related"
        }
    }

    public var xml: String {
        let e = event
        func el(_ name: String, _ value: String, _ indent: String) -> String { "\(indent)<\(name)>\(Self.xmlEscape(value))</\(name)>\n" }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n"
        x += "  <generator name=\"Living Together\" version=\"1\"/>\n"
        x += el("version", version, "  ")
        x += "  <conference>\n"
        x += el("acronym", acronym, "    ")
        x += el("title", e.title(language), "    ")
        x += el("start", e.start.day.description, "    ")
        x += el("end", e.end.day.description, "    ")
        x += el("days", String(e.days.count), "    ")
        x += el("timeslot_duration", "00:05", "    ")
        x += el("base_url", base + "/events/\(slug)", "    ")
        x += el("time_zone_name", e.timeZone, "    ")
        x += "  </conference>\n"
        for d in days {
            let first = d.slots.map(\.session.start).min() ?? LocalDateTime(day: d.day, minute: 0)
            let last = d.slots.map(\.session.end).max() ?? LocalDateTime(day: d.day, minute: 1439)
            x += "  <day index=\"\(d.index)\" date=\"\(d.day)\" start=\"\(timestamp(first))\" end=\"\(timestamp(last))\">\n"
            for room in roomNames {
                let here = d.slots.filter { $0.roomName == room }
                guard !here.isEmpty else { continue }
                x += "    <room name=\"\(Self.xmlEscape(room))\">\n"
                for slot in here {
                    let s = slot.session
                    x += "      <event guid=\"\(slot.guid)\" id=\"\(slot.id)\">\n"
                    x += el("room", room, "        ")
                    x += el("title", s.title(language), "        ")
                    x += el("subtitle", "", "        ")
                    x += el("type", s.kind.rawValue, "        ")
                    x += el("date", timestamp(s.start), "        ")
                    x += el("start", s.start.clock, "        ")
                    x += el("duration", Self.duration(s.minutes), "        ")
                    x += el("abstract", "", "        ")
                    x += el("slug", sessionSlug(slot), "        ")
                    x += el("track", s.kind.rawValue, "        ")
                    x += "        <persons>\n"
                    for p in persons(s) { x += "          <person id=\"\(p.id)\">\(Self.xmlEscape(p.name))</person>\n" }
                    x += "        </persons>\n"
                    x += el("language", e.languages.first ?? "en", "        ")
                    x += el("description", s.description(language), "        ")
                    x += "        <recording>\n          <license>CC BY 4.0</license>\n          <optout>false</optout>\n        </recording>\n"
                    x += "        <links>\n"
                    for m in s.materials {
                        x += "          <link href=\"\(Self.xmlEscape(m.url))\">\(Self.xmlEscape(m.title))</link>\n"
                    }
                    x += "        </links>\n"
                    x += "        <attachments/>\n"
                    x += el("url", url(s), "        ")
                    x += "      </event>\n"
                }
                x += "    </room>\n"
            }
            x += "  </day>\n"
        }
        x += "</schedule>\n"
        return x
    }

    public var json: String {
        let e = event
        let days: [[String: Any]] = self.days.map { d in
            let first = d.slots.map(\.session.start).min() ?? LocalDateTime(day: d.day, minute: 0)
            let last = d.slots.map(\.session.end).max() ?? LocalDateTime(day: d.day, minute: 1439)
            var rooms: [String: Any] = [:]
            for room in roomNames {
                let here = d.slots.filter { $0.roomName == room }
                guard !here.isEmpty else { continue }
                rooms[room] = here.map { slot -> [String: Any] in
                    let s = slot.session
                    return [
                        "guid": slot.guid, "id": slot.id, "room": room, "title": s.title(language), "subtitle": "",
                        "type": s.kind.rawValue, "date": timestamp(s.start), "start": s.start.clock,
                        "duration": Self.duration(s.minutes), "abstract": "", "slug": sessionSlug(slot), "track": s.kind.rawValue,
                        "language": e.languages.first ?? "en", "description": s.description(language),
                        "persons": s.speakers.map { ["name": $0.name, "biography": $0.bio as Any? ?? NSNull()] as [String: Any] },
                        "links": s.materials.map { ["url": $0.url, "title": $0.title, "type": Self.linkType($0.kind)] },
                        "attachments": [] as [Any], "url": url(s), "do_not_record": false,
                    ]
                }
            }
            return ["index": d.index, "date": d.day.description, "day_start": timestamp(first), "day_end": timestamp(last),
                    "rooms": rooms]
        }
        let conference: [String: Any] = [
            "acronym": acronym, "title": e.title(language), "start": e.start.day.description, "end": e.end.day.description,
            "daysCount": e.days.count, "timeslot_duration": "00:05", "time_zone_name": e.timeZone,
            "url": base + "/events/\(slug)",
            "rooms": roomNames.map { ["name": $0, "guid": Self.guid("\(slug)/room/\($0)")] },
            "days": days,
        ]
        let object: [String: Any] = [
            "$schema": "https://c3voc.de/schedule/schema.json", "generator": ["name": "Living Together", "version": "1"],
            "schedule": ["version": version, "base_url": base + "/events/\(slug)", "conference": conference],
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
