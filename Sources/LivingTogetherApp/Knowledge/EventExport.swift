import Foundation
import LivingTogetherCore

/// The events' open formats made from the stored document: calendar entries, the schema.org description, the
/// organiser's CSV of registrations, and the document as the edit form shows it.
enum EventExport {
    /// One calendar entry per session (its UID stays the same across exports, so calendars update it).
    static func item(_ event: Event, row: EventRow, session s: Event.Session, base: String, language: String) -> ICalendar.Item {
        let host = base.split(separator: "/").dropFirst().first.map(String.init) ?? "livingtogether"
        let where_ = [event.room(s.room)?.name, event.venue(ofRoom: s.room)?.name, event.venue(ofRoom: s.room)?.address]
            .compactMap { $0 }.joined(separator: ", ")
        let speakers = s.speakers.map { [$0.name, [$0.role, $0.organisation].filter { !$0.isEmpty }.joined(separator: ", ")].joined(separator: " – ") }.joined(separator: "\n")
        let description = [s.description(language), speakers].filter { !$0.isEmpty }.joined(separator: "\n\n")
        let start = s.start.date(in: event.timeZone) ?? Date(timeIntervalSince1970: 0)
        let end = s.end.date(in: event.timeZone) ?? start
        return ICalendar.Item(uid: "\(row.slug).\(s.id)@\(host)", start: start, end: end,
                              summary: "\(s.title(language)) · \(event.title(language))", description: description,
                              location: where_.isEmpty ? (event.online ?? "") : where_,
                              url: base + SiteURL.session(row.slug, s.id).path, cancelled: row.eventStatus == .cancelled)
    }

    /// A person's agenda as a feed: their sessions, and the events they registered for without choosing a session.
    static func agendaCalendar(_ items: [EventUseCases.AgendaItem], base: String, t: Translator) -> String {
        let lang = t.language.rawValue
        let host = base.split(separator: "/").dropFirst().first.map(String.init) ?? "livingtogether"
        let entries = items.map { i -> ICalendar.Item in
            if let s = i.session { return item(i.event, row: i.row, session: s, base: base, language: lang) }
            let start = i.event.start.date(in: i.event.timeZone) ?? Date(timeIntervalSince1970: 0)
            return ICalendar.Item(uid: "\(i.row.slug)@\(host)", start: start, end: i.event.end.date(in: i.event.timeZone) ?? start,
                                  summary: i.event.title(lang), description: i.event.summary(lang),
                                  location: i.event.venues.first.map { [$0.name, $0.address].compactMap { $0 }.joined(separator: ", ") }
                                      ?? i.event.online, url: base + SiteURL.event(i.row.slug).path,
                                  cancelled: i.row.eventStatus == .cancelled)
        }
        return ICalendar(name: t("events.agendaTitle"), items: entries, stamp: Date()).text
    }

    /// The schema.org Event, with its sessions as sub-events, ready for a `<script type="application/ld+json">`.
    static func jsonLD(_ event: Event, row: EventRow, base: String, language: String) -> String {
        let iso = ISO8601DateFormatter()
        iso.timeZone = TimeZone(identifier: event.timeZone) ?? iso.timeZone
        iso.formatOptions = [.withInternetDateTime]
        func time(_ t: LocalDateTime) -> String { t.date(in: event.timeZone).map { iso.string(from: $0) } ?? t.description }
        func place(_ room: String?) -> [String: Any]? {
            guard let v = event.venue(ofRoom: room) ?? event.venues.first else { return nil }
            var p: [String: Any] = ["@type": "Place", "name": [event.room(room)?.name, v.name].compactMap { $0 }.joined(separator: ", ")]
            if let a = v.address { p["address"] = a }
            return p
        }
        let online = event.online.map { ["@type": "VirtualLocation", "url": $0] as [String: Any] }
        let mode = event.venues.isEmpty || event.kind == .webinar ? "OnlineEventAttendanceMode"
            : (event.online == nil ? "OfflineEventAttendanceMode" : "MixedEventAttendanceMode")
        let status = row.eventStatus == .cancelled ? "EventCancelled" : "EventScheduled"
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "Event", "@id": base + SiteURL.event(row.slug).path,
            "url": base + SiteURL.event(row.slug).path, "name": event.title(language), "description": event.summary(language),
            "startDate": time(event.start), "endDate": time(event.end), "inLanguage": event.languages,
            "eventStatus": "https://schema.org/\(status)", "eventAttendanceMode": "https://schema.org/\(mode)",
            "organizer": ["@type": "Organization", "name": event.organiser],
        ]
        let locations = [place(nil), online].compactMap { $0 }
        if !locations.isEmpty { object["location"] = locations.count == 1 ? locations[0] : locations }
        if let c = event.capacity { object["maximumAttendeeCapacity"] = c }
        object["subEvent"] = event.orderedSessions.map { s -> [String: Any] in
            var sub: [String: Any] = ["@type": "Event", "name": s.title(language), "startDate": time(s.start), "endDate": time(s.end),
                                      "url": base + SiteURL.session(row.slug, s.id).path]
            if let p = place(s.room), s.room != nil { sub["location"] = p }
            if !s.speakers.isEmpty {
                sub["performer"] = s.speakers.map { ["@type": "Person", "name": $0.name, "jobTitle": $0.role,
                                                     "affiliation": ["@type": "Organization", "name": $0.organisation]] as [String: Any] }
            }
            if let c = s.capacity { sub["maximumAttendeeCapacity"] = c }
            return sub
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }

    static let csvColumns = ["name", "email", "session", "status", "requested_at", "sign_language", "hearing_loop", "step_free",
                             "diet", "other"]

    static func registrationsCSV(_ event: Event, _ regs: [EventRegistration]) -> String {
        let iso = ISO8601DateFormatter()
        var out = CSV.line(csvColumns) + "\n"
        for r in regs {
            let n = r.accessibility
            out += CSV.line([r.user.name, r.user.email, r.session.isEmpty ? "" : r.session, r.status, iso.string(from: r.requestedAt),
                             n.signLanguage?.rawValue ?? "", n.hearingLoop ? "yes" : "", n.stepFree ? "yes" : "", n.diet ?? "",
                             n.other ?? ""].map(CSV.neutralised)) + "\n"
        }
        return out
    }

    /// The stored document as the edit form shows it (indented, keys sorted).
    static func pretty(_ stored: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(stored.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return stored }
        return String(decoding: data, as: UTF8.self)
    }

    /// A starting point for a new event's document: one venue, one room, one session.
    static let template = """
    {
      "id": "our-learning-session-2027",
      "kind": "learningSession",
      "title": {"en": "Learning session", "nl": "Leersessie"},
      "summary": {"en": "What the session is about, in a sentence or two.", "nl": "Waarover de sessie gaat, in een of twee zinnen."},
      "description": {"en": "", "nl": ""},
      "organiser": "Our organisation",
      "timeZone": "Europe/Brussels",
      "start": "2027-03-18T13:30",
      "end": "2027-03-18T16:30",
      "online": null,
      "capacity": 40,
      "contact": null,
      "accessibility": {"en": "The room is on the ground floor; a hearing loop is available.", "nl": "De zaal ligt op het gelijkvloers; er is een ringleiding."},
      "languages": ["nl"],
      "translations": {"en": "human", "nl": "human"},
      "note": null,
      "source": null,
      "venues": [
        {"id": "town-hall", "name": "Town hall", "address": "Grote Markt 1", "accessibility": null,
         "rooms": [{"id": "council-room", "name": "Council room", "capacity": 40, "stepFree": true, "accessibility": null}]}
      ],
      "sessions": [
        {"id": "welcome", "kind": "plenary", "title": {"en": "Welcome", "nl": "Verwelkoming"}, "description": {"en": "", "nl": ""},
         "start": "2027-03-18T13:30", "end": "2027-03-18T14:00", "room": "council-room",
         "speakers": [{"name": "A. Speaker", "role": "Alderman", "organisation": "Our municipality", "bio": null}],
         "capacity": null, "practices": [], "materials": []}
      ]
    }
    """
}
