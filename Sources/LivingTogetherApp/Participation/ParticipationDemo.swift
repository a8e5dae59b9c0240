import Fluent
import LivingTogetherCore
import Vapor

/// The demo's participation programme, marked as demo data: Hallo Nederlands in Halle, the language-practice boat
/// tour in Mechelen, Genk's welcome desk, Sint-Niklaas buddies; a newcomer with 26 of the 40 hours (and one no-show)
/// who gave the integration agency's advisor access; five more participants so that the figures are shown.
enum ParticipationDemo {
    static let newcomer = "newcomer@participation.example"
    static let counsellor = "advisor@integration.example"

    static func text(_ en: String, _ nl: String) -> LocalizedText { LocalizedText(["en": en, "nl": nl]) }

    struct Plan {
        var municipality: String
        var activity: Activity
    }

    static func plans(today: Day) -> [Plan] {
        func weekly(_ weekday: Int, from: Int, until: Int, _ start: String, _ end: String) -> ActivitySchedule {
            ActivitySchedule(
                kind: .weekly, weekday: weekday, from: today.adding(days: from).description,
                until: today.adding(days: until).description, start: start, end: end)
        }
        let demo = " (demo)"
        return [
            Plan(
                municipality: "Halle",
                activity: Activity(
                    id: "",
                    title: text("Hallo Nederlands: conversation table" + demo, "Hallo Nederlands: praattafel" + demo),
                    summary: text(
                        "Demo data. Practise Dutch at a table of six with a volunteer who leads the "
                            + "talk: the week's news, "
                            + "shopping, the school. Coffee and tea are free.",
                        "Demogegevens. Oefen Nederlands aan een tafel van zes met een vrijwilliger "
                            + "die het gesprek leidt: "
                            + "het nieuws, winkelen, de school. Koffie en thee zijn gratis."),
                    easy: text(
                        "We talk in Dutch. You learn new words. Every Tuesday afternoon.",
                        "We praten Nederlands. Je leert nieuwe woorden. Elke dinsdagnamiddag."),
                    category: .conversationTable, level: .a1, inGroupOrDuo: true, dutchSpeakingContext: true,
                    languages: ["fr"],
                    accessibility: text("Ground floor, step-free entrance.", "Gelijkvloers, toegang zonder trappen."),
                    address: "Town library, room 2 (demo address)", capacity: 12,
                    schedule: weekly(2, from: -70, until: 180, "14:00", "16:00"))),
            Plan(
                municipality: "Halle",
                activity: Activity(
                    id: "",
                    title: text(
                        "Hallo Nederlands: walk and talk" + demo, "Hallo Nederlands: wandelen en praten" + demo),
                    summary: text(
                        "Demo data. A walk through the Hallerbos in a small group, talking Dutch on the way.",
                        "Demogegevens. Een wandeling door het Hallerbos in een kleine groep, "
                            + "onderweg Nederlands praten."
                    ),
                    easy: text(
                        "We walk together. We talk in Dutch. Good shoes help.",
                        "We wandelen samen. We praten Nederlands. Goede schoenen helpen."),
                    category: .sport, level: .a2, inGroupOrDuo: true, dutchSpeakingContext: true,
                    accessibility: text(
                        "Forest paths: not suitable for wheelchairs.", "Bospaden: niet geschikt voor rolstoelen."),
                    address: "Meeting point at the forest car park (demo address)", capacity: 15,
                    schedule: weekly(6, from: -14, until: 120, "10:00", "11:30"))),
            Plan(
                municipality: "Mechelen",
                activity: Activity(
                    id: "",
                    title: text(
                        "Language-practice boat tour on the Dijle" + demo, "Taaloefenboottocht op de Dijle" + demo),
                    summary: text(
                        "Demo data. A boat tour through Mechelen with a guide who speaks slowly; in pairs you answer "
                            + "questions about what you see.",
                        "Demogegevens. Een boottocht door Mechelen met een gids die traag spreekt; "
                            + "in duo's beantwoord je "
                            + "vragen over wat je ziet."),
                    easy: text(
                        "We go on a boat. A guide tells about the city in easy Dutch.",
                        "We varen met een boot. Een gids vertelt over de stad in eenvoudig Nederlands."),
                    category: .culture, level: .a2, inGroupOrDuo: true, dutchSpeakingContext: true,
                    accessibility: text(
                        "The boat has a ramp; tell us if you need help boarding.",
                        "De boot heeft een loopplank; laat weten als je hulp nodig hebt bij het instappen."),
                    address: "Landing stage at the Haverwerf (demo address)", capacity: 20,
                    schedule: ActivitySchedule(
                        kind: .dates, dates: [-20, 25, 55].map { today.adding(days: $0).description },
                        start: "14:00", end: "17:00"))),
            Plan(
                municipality: "Genk",
                activity: Activity(
                    id: "",
                    title: text("Welcome desk: volunteer with us" + demo, "Onthaalbalie: word vrijwilliger" + demo),
                    summary: text(
                        "Demo data. Help newcomers find their way at Genk's welcome desk, together "
                            + "with a Dutch-speaking "
                            + "volunteer.",
                        "Demogegevens. Help nieuwkomers hun weg te vinden aan de onthaalbalie van Genk, samen met een "
                            + "Nederlandstalige vrijwilliger."),
                    easy: text(
                        "You help other newcomers. You work with a volunteer. You speak Dutch.",
                        "Je helpt andere nieuwkomers. Je werkt samen met een vrijwilliger. Je spreekt Nederlands."),
                    category: .volunteering, level: .a2, inGroupOrDuo: true, dutchSpeakingContext: true,
                    languages: ["ar", "tr"],
                    address: "Welcome desk, town hall (demo address)", capacity: 6,
                    schedule: weekly(4, from: -35, until: 200, "09:00", "12:30"))),
            Plan(
                municipality: "Genk",
                activity: Activity(
                    id: "",
                    title: text(
                        "Welcome desk: information morning in Arabic and Ukrainian" + demo,
                        "Onthaalbalie: infoochtend in het Arabisch en het Oekraïens" + demo),
                    summary: text(
                        "Demo data. What the municipality offers, explained in your language. It "
                            + "does not count towards "
                            + "the participation hours: it is not in a Dutch-speaking context.",
                        "Demogegevens. Wat de gemeente aanbiedt, uitgelegd in je taal. Telt niet mee voor de "
                            + "participatie-uren: het is geen Nederlandstalige context."),
                    easy: text("We explain the town in your language.", "We leggen de stad uit in jouw taal."),
                    category: .communityCentre, level: nil, inGroupOrDuo: true, dutchSpeakingContext: false,
                    languages: ["ar", "uk"],
                    address: "Community centre (demo address)", capacity: nil,
                    schedule: ActivitySchedule(
                        kind: .dates, dates: [-10, 30].map { today.adding(days: $0).description },
                        start: "10:00", end: "11:30"))),
            Plan(
                municipality: "Sint-Niklaas",
                activity: Activity(
                    id: "",
                    title: text(
                        "Buddies: meet your Dutch-speaking buddy" + demo,
                        "Buddy's: ontmoet je Nederlandstalige buddy" + demo),
                    summary: text(
                        "Demo data. A resident of Sint-Niklaas meets you every week for a coffee, a market visit or a "
                            + "club; the buddy project matches you.",
                        "Demogegevens. Een inwoner van Sint-Niklaas ontmoet je elke week voor een "
                            + "koffie, een marktbezoek "
                            + "of een club; het buddyproject koppelt jullie."),
                    easy: text(
                        "You meet one person every week. You talk in Dutch.",
                        "Je ontmoet elke week één persoon. Jullie praten Nederlands."),
                    category: .buddy, level: .a1, inGroupOrDuo: true, dutchSpeakingContext: true,
                    address: "Buddy project office, Grote Markt (demo address)", capacity: 10,
                    schedule: weekly(3, from: -7, until: 300, "19:00", "21:00"))),
        ]
    }

    static func load(_ app: Application, passwordHash: String) async throws {
        guard try await ActivityRow.query(on: app.db).count() == 0 else { return }
        let today = Day.today
        var rows: [ActivityRow] = []
        for p in plans(today: today) {
            guard
                let m = try await Organisation.query(on: app.db).filter(\.$name == p.municipality).filter(
                    \.$country == "BE"
                )
                .sort(\.$population, .descending).first(), let id = m.id
            else { continue }
            if case .success(let row) = try await ParticipationUseCases.save(
                p.activity, row: nil, organiser: id, municipality: id,
                published: true, on: app.db)
            {
                rows.append(row)
            }
        }
        guard rows.count == 6 else { return }
        var people: [Int] = []
        for i in 1...5 {
            let u = User(
                email: "participant\(i)@participation.example", name: "Demo participant \(i)",
                passwordHash: passwordHash)
            try await u.create(on: app.db)
            people.append(try u.requireID())
        }
        guard let newcomer = try await User.query(on: app.db).filter(\.$email == Self.newcomer).first()?.id else {
            return
        }
        for uid in [newcomer] + people {
            _ = try await ParticipationUseCases.register(rows[0], userID: uid, on: app.db)
        }
        for r in [rows[2], rows[3], rows[4]] {
            _ = try await ParticipationUseCases.register(r, userID: newcomer, on: app.db)
        }
        // Halle's Tuesdays so far: the newcomer came to eight of nine (2 h each), the others to most.
        let tuesdays =
            (try? rows[0].activity())?.schedule.days(from: today.adding(days: -70), to: today.adding(days: -1)) ?? []
        for (n, d) in tuesdays.suffix(9).enumerated() {
            var lines: [(userID: Int, present: Bool, minutes: Int)] = [(newcomer, n != 4, n != 4 ? 120 : 0)]
            for (i, p) in people.enumerated() { lines.append((p, (n + i) % 4 != 0, (n + i) % 4 != 0 ? 120 : 0)) }
            _ = try await ParticipationUseCases.recordAttendance(rows[0], day: d, lines: lines, by: nil, on: app.db)
        }
        // The boat tour (3 h), two mornings at the welcome desk (3.5 h each), and the information morning (not
        // counted).
        if let boat = (try? rows[2].activity())?.schedule.days(from: today.adding(days: -30), to: today).first {
            _ = try await ParticipationUseCases.recordAttendance(
                rows[2], day: boat, lines: [(newcomer, true, 180)], by: nil, on: app.db)
        }
        for d
            in ((try? rows[3].activity())?.schedule.days(from: today.adding(days: -35), to: today.adding(days: -1))
            ?? [])
            .suffix(2)
        {
            _ = try await ParticipationUseCases.recordAttendance(
                rows[3], day: d, lines: [(newcomer, true, 210)], by: nil, on: app.db)
        }
        if let info = (try? rows[4].activity())?.schedule.days(from: today.adding(days: -30), to: today).first {
            _ = try await ParticipationUseCases.recordAttendance(
                rows[4], day: info, lines: [(newcomer, true, 90)], by: nil, on: app.db)
        }
        _ = try await ParticipationUseCases.grant(participant: newcomer, counsellorEmail: Self.counsellor, on: app.db)
        try await app.participation.rebuild(on: app.db)
    }
}
