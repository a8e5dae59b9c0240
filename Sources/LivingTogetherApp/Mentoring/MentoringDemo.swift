import Fluent
import Foundation
import LivingTogetherCore
import Vapor

/// The mentoring demo: the IncluCities pairs as a finished city-to-city programme (CEMR, 2020–2023), an open
/// "city for all" programme of the association (VVSG) with mentors and mentees enrolled so that a round can be
/// proposed, a DUO for a JOB programme with a few invented people, and a learning network Mechelen hosts on
/// the buddies action (two sessions held, so Mechelen shows as a qualified mentor). Names of people are invented.
enum MentoringDemo {
    static func load(_ app: Application) async throws {
        let db = app.db
        func org(_ name: String, _ country: String? = nil) async throws -> Organisation? {
            var q = Organisation.query(on: db).filter(\.$name == name)
            if let country { q = q.filter(\.$country == country) }
            return try await q.sort(\.$population, .descending).first()
        }
        func user(_ email: String) async throws -> Int? { try await User.query(on: db).filter(\.$email == email).first()?.id }
        guard let shipped = try? ShippedProgrammeRules.load().get(),
              let city = shipped.first(where: { $0.id == "city-to-city" }), let duo = shipped.first(where: { $0.id == "duo-for-a-job" }),
              let cemr = try await org("Council of European Municipalities and Regions (CEMR)"),
              let vvsg = try await org("Association of Flemish Cities and Municipalities (VVSG)"),
              let duoOrg = try await org("DUO for a JOB") else { return }
        let admin = try await user("admin@livingtogether.example")
        let coordinator = try await user("coordinator@vvsg.example")
        let duoStaff = try await user("mentor@duoforajob.example")

        func programme(_ title: String, _ rules: ProgrammeRules, organiser: Organisation, theme: String?, action: String?, summary: String,
                       start: String, end: String?, staff: [Int?]) async throws -> MentoringProgramme {
            let p = MentoringProgramme()
            p.title = title; p.kind = rules.kind.rawValue; p.rulesKey = rules.id; p.rulesVersion = rules.version
            p.rules = try ContentJSON.encode(rules); p.$organiser.id = try organiser.requireID(); p.theme = theme; p.catalogueActionID = action
            p.summary = summary; p.status = end == nil ? "open" : "closed"; p.startsOn = start; p.endsOn = end
            try await p.create(on: db)
            for s in staff.compactMap({ $0 }) { let row = MentoringStaff(); row.$programme.id = try p.requireID(); row.$user.id = s; try await row.create(on: db) }
            return p
        }
        func participant(_ p: MentoringProgramme, _ role: MentoringRole, org: Organisation? = nil, name: String? = nil, facts: [String: FactValue],
                         sector: String? = nil, years: Int? = nil, languages: [String] = [], place: String? = nil, hours: Double? = nil,
                         capacity: Int = 1, user: Int? = nil) async throws -> MentoringParticipant {
            let m = MentoringParticipant()
            m.$programme.id = try p.requireID(); m.role = role.rawValue; m.$organisation.id = org?.id; m.displayName = org?.name ?? name ?? ""
            m.facts = try ContentJSON.encode(facts); m.sector = sector; m.experienceYears = years; m.languages = languages.joined(separator: ",")
            m.place = place; m.hoursPerWeek = hours; m.capacity = role == .mentor ? capacity : 0; m.$user.id = user
            try await m.create(on: db)
            return m
        }
        let cityFacts: [String: FactValue] = ["benchmarkSubmitted": true, "contactPerson": true, "politicalSupport": true, "staffDaysPerMonth": 2]

        // IncluCities: four pairs, each on its theme, followed to an adopted action plan with a pilot project.
        let inclu = try await programme("IncluCities: city-to-city mentoring on integration", city, organiser: cemr, theme: nil, action: nil,
            summary: "CEMR's IncluCities project (2020–2023): four experienced cities mentored four smaller ones, each on one theme, with their national associations of municipalities. Needs assessment and matching, thematic benchmarks, mentoring training and local support networks, three study visits, training academies; each mentee adopted an action plan.",
            start: "2020-09-01", end: "2023-06-30", staff: [admin])
        let incluPairs: [(String, String?, String, String?, String)] = [
            ("Brussels", "BE", "Saint-Jean-de-la-Ruelle", "FR", "gender-sensitive-integration"),
            ("Mechelen", "BE", "Capaci", "IT", "city-for-all"),
            ("Fuenlabrada", "ES", "Livadeiá", "GR", "labour-market-integration"),
            ("Schaerbeek", "BE", "Jelgava", "LV", "language-learning"),
        ]
        for (mentorName, mc, menteeName, ec, theme) in incluPairs {
            guard let mo = try await org(mentorName, mc), let eo = try await org(menteeName, ec) else { continue }
            let mentor = try await participant(inclu, .mentor, org: mo, facts: cityFacts)
            let mentee = try await participant(inclu, .mentee, org: eo, facts: cityFacts)
            let pair = MentoringPair()
            pair.$programme.id = try inclu.requireID(); pair.$mentee.id = try mentee.requireID(); pair.$mentor.id = try mentor.requireID()
            pair.theme = theme; pair.stage = "evaluation"; pair.startedOn = "2020-11-01"; pair.endedOn = "2023-05-31"; pair.outcome = "action-plan-and-pilot"
            pair.agreementSignedOn = "2021-01-15"
            pair.agreementGoals = "\(menteeName) learns from \(mentorName)'s practice on \(theme.replacingOccurrences(of: "-", with: " ")) and writes an action plan with a pilot project, supported by both national associations."
            pair.planLongTerm = "An integration action plan for \(menteeName), adopted by the council, on \(theme.replacingOccurrences(of: "-", with: " "))."
            pair.planPilot = "A pilot project started during the trajectory and continued after it."
            try await pair.create(on: db)
            var at = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2020, month: 11, day: 1).date!
            var from: String? = nil
            for s in city.stages {
                let ev = MentoringStageEvent(); ev.$pair.id = try pair.requireID(); ev.fromStage = from; ev.toStage = s.id; ev.comment = ""; ev.at = at
                try await ev.create(on: db)
                from = s.id; at = at.addingTimeInterval(180 * 86_400)
            }
            let end = MentoringStageEvent(); end.$pair.id = try pair.requireID(); end.fromStage = "evaluation"; end.toStage = "evaluation"
            end.comment = "outcome:action-plan-and-pilot"; end.at = at
            try await end.create(on: db)
            for (day, kind, note) in [("2021-06-10", "work-visit", "Study visit 1 in \(mentorName): action planning."),
                                      ("2022-03-22", "work-visit", "Study visit 2 in \(menteeName): consolidation of the plan."),
                                      ("2023-02-14", "work-visit", "Study visit 3: review of the action plan and the pilot.")] {
                let e = MentoringLogEntry(); e.$pair.id = try pair.requireID(); e.day = day; e.kind = kind; e.note = note
                try await e.create(on: db)
            }
            for side in MentoringRole.allCases {
                let ev = MentoringEvaluation(); ev.$pair.id = try pair.requireID(); ev.side = side.rawValue; ev.rating = 5; ev.text = ""; ev.at = at
                try await ev.create(on: db)
            }
        }

        // The association's open round on "city for all": the demo peers with higher levels mentor, those with gaps are mentees.
        let open = try await programme("City for all: mentoring between Flemish municipalities", city, organiser: vvsg, theme: "city-for-all", action: "buddies-for-newcomers",
            summary: "Municipalities that are further on the city-for-all benchmark mentor those with gaps. Enrol your municipality as a mentee or a mentor; the association proposes the pairs.",
            start: Day.today.description, end: nil, staff: [coordinator])
        for (name, role, capacity) in [("Gent", MentoringRole.mentor, 2), ("Genk", .mentor, 1), ("Sint-Niklaas", .mentor, 1),
                                       ("Lier", .mentee, 0), ("Turnhout", .mentee, 0), ("Diest", .mentee, 0)] {
            guard let o = try await org(name, "BE") else { continue }
            _ = try await participant(open, role, org: o, facts: cityFacts, capacity: capacity)
        }

        // DUO for a JOB: staff of the organisation enrol people; invented names.
        let duoProgramme = try await programme("DUO for a JOB Mechelen", duo, organiser: duoOrg, theme: nil, action: "mentoring-to-work",
            summary: "Intergenerational mentoring to work: volunteers over fifty coach young jobseekers with roots outside the EU for six months.",
            start: Day.today.description, end: nil, staff: [duoStaff])
        let mentee: [String: FactValue] = ["age": 24, "originOutsideEU": true, "workPermit": true, "professionalExperience": false, "hoursPerWeek": 2, "months": 6]
        let mentor: [String: FactValue] = ["age": 61, "originOutsideEU": false, "workPermit": true, "professionalExperience": true, "hoursPerWeek": 2, "months": 6]
        _ = try await participant(duoProgramme, .mentee, name: "Amina (demo)", facts: mentee, sector: "care", languages: ["nl", "ar"], place: "Mechelen", hours: 2)
        _ = try await participant(duoProgramme, .mentee, name: "Yonas (demo)", facts: mentee, sector: "logistics", languages: ["en", "ti"], place: "Mechelen", hours: 2)
        _ = try await participant(duoProgramme, .mentor, name: "Marc (demo)", facts: mentor, sector: "logistics", years: 35, languages: ["nl", "en"], place: "Mechelen", hours: 3)
        _ = try await participant(duoProgramme, .mentor, name: "Lutgarde (demo)", facts: mentor, sector: "care", years: 30, languages: ["nl", "fr"], place: "Bonheiden", hours: 2)

        // A learning network Mechelen hosts on the buddies action: two sessions held, one planned.
        if let mechelen = try await org("Mechelen", "BE") {
            let n = LearningNetwork()
            n.$host.id = try mechelen.requireID(); n.title = "Buddies for newcomers: learning network"
            n.summary = "Municipalities starting a buddy project learn from Mechelen's experience with volunteers and newcomers."
            n.catalogueActionID = "buddies-for-newcomers"
            try await n.create(on: db)
            var members: [Int] = []
            for name in ["Lier", "Turnhout", "Diest"] {
                guard let o = try await org(name, "BE") else { continue }
                let m = LearningNetworkMember(); m.$network.id = try n.requireID(); m.$organisation.id = try o.requireID()
                try await m.create(on: db); members.append(try o.requireID())
            }
            let today = Day.today
            for (i, months) in [-4, -1, 2].enumerated() {
                let s = LearningSession()
                s.$network.id = try n.requireID(); s.day = today.adding(months: months).description
                s.place = i == 1 ? "" : "Mechelen city hall"; s.link = i == 1 ? "https://meet.example.org/buddies" : ""
                s.agenda = ["Recruiting and training buddies", "Matching newcomers and buddies", "Keeping volunteers on board"][i]
                s.notes = months < 0 ? "Demo notes of the session." : ""; s.materials = ""
                try await s.create(on: db)
                if months < 0 {
                    for o in members + [try mechelen.requireID()] { let a = LearningAttendance(); a.$session.id = try s.requireID(); a.$organisation.id = o; try await a.create(on: db) }
                }
            }
        }
    }
}
