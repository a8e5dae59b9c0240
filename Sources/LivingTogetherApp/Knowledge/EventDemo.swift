import Fluent
import LivingTogetherCore
import Vapor

/// The demo's upcoming event, so that registration, the waiting list and the organiser's summary can be tried: a
/// learning-network session of the association six weeks from today, marked as demo data, with a workshop of three
/// places that is full (one person waits) and access requests.
enum EventDemo {
    static let slug = "demo-learning-network-inclusive-communication"

    static func event(startingOn day: Day) -> Event {
        func at(_ clock: String) -> LocalDateTime { LocalDateTime(day: day, minute: LocalDateTime.clockMinutes(clock) ?? 0) }
        func text(_ en: String, _ nl: String) -> LocalizedText { LocalizedText(["en": en, "nl": nl]) }
        return Event(
            id: slug, kind: .learningSession,
            title: text("Learning network: inclusive communication (demo)", "Lerend netwerk: inclusief communiceren (demo)"),
            summary: text("Demo data: a session of the learning network on inclusive communication, with a workshop on the OpenBlik exercises.",
                          "Demogegevens: een sessie van het lerend netwerk over inclusief communiceren, met een workshop over de oefeningen van OpenBlik."),
            description: text("This event is demo data made for trying the platform: it did not take place.",
                              "Dit evenement is demogegevens om het platform uit te proberen: het vond niet plaats."),
            organiser: "Association of Flemish Cities and Municipalities (VVSG)", timeZone: "Europe/Brussels",
            start: at("13:30"), end: at("17:00"), capacity: 30,
            accessibility: text("The council room is on the ground floor; the workshop room is on the first floor, reached by a lift.",
                                "De raadzaal ligt op het gelijkvloers; de workshopzaal ligt op de eerste verdieping, bereikbaar met een lift."),
            languages: ["nl"], translations: ["en": .human, "nl": .human],
            venues: [Event.Venue(id: "town-hall", name: "Town hall (demo)", address: "Grote Markt 21, 2800 Mechelen", rooms: [
                Event.Room(id: "council-room", name: "Council room", capacity: 30, stepFree: true),
                Event.Room(id: "workshop-room", name: "Workshop room", capacity: 3, stepFree: true),
            ])],
            sessions: [
                Event.Session(id: "welcome", kind: .plenary, title: text("Welcome and the network's year", "Verwelkoming en het jaar van het netwerk"),
                              description: text("", ""), start: at("13:30"), end: at("14:00"), room: "council-room",
                              speakers: [Event.Speaker(name: "VVSG coordinator", role: "Coordinator", organisation: "VVSG")]),
                Event.Session(id: "openblik-workshop", kind: .workshop, title: text("Workshop: the OpenBlik exercises", "Workshop: de oefeningen van OpenBlik"),
                              description: text("Three steps: awareness, communication, opportunity to encounter.",
                                                "Drie stappen: bewustwording, communicatie, kansen op ontmoeting."),
                              start: at("14:00"), end: at("15:30"), room: "workshop-room",
                              practices: ["openblik-inclusive-communication"]),
                Event.Session(id: "coffee", kind: .break, title: text("Coffee break", "Koffiepauze"), description: text("", ""),
                              start: at("15:30"), end: at("15:45"), room: "council-room"),
                Event.Session(id: "exchange", kind: .parallel, title: text("Exchange: what each municipality tries next", "Uitwisseling: wat elke gemeente nu probeert"),
                              description: text("", ""), start: at("15:45"), end: at("17:00"), room: "council-room"),
            ])
    }

    static func load(_ app: Application) async throws {
        guard try await EventRow.query(on: app.db).filter(\.$slug == slug).first() == nil,
              let vvsg = try await Organisation.query(on: app.db)
                .filter(\.$name == "Association of Flemish Cities and Municipalities (VVSG)").first() else { return }
        let event = Self.event(startingOn: Day.today.adding(days: 42))
        let row = EventRow()
        row.slug = slug; row.status = EventStatus.published.rawValue; row.$owner.id = vvsg.id
        row.content = try ContentJSON.encode(event); row.startsOn = event.start.day.description
        try await row.create(on: app.db)
        let people: [(String, AccessibilityNeeds)] = [
            ("editor@mechelen.example", AccessibilityNeeds()),
            ("officer@genk.example", AccessibilityNeeds(signLanguage: .vgt, stepFree: true)),
            ("mentor@duoforajob.example", AccessibilityNeeds(diet: "Vegetarian")),
            ("advisor@integration.example", AccessibilityNeeds(hearingLoop: true)),
        ]
        for (email, needs) in people {
            guard let user = try await User.query(on: app.db).filter(\.$email == email).first(), let id = user.id else { continue }
            _ = try await EventUseCases.register(row, event, session: "openblik-workshop", userID: id, needs: needs, on: app.db)
        }
    }
}
