import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Vapor

extension Application {
    func shippedRules(_ id: String) throws -> ProgrammeRules {
        guard let r = MentoringUseCases.shippedRules.first(where: { $0.id == id }) else { throw TestSetupError("no shipped rules \(id)") }
        return r
    }

    /// A programme organised by organisation C with the given staff: city-to-city on "city for all", or person-to-person
    /// with the DUO for a JOB rules.
    func makeProgramme(_ kind: ProgrammeRules.Kind, staff: [Persona] = [.coordinator], open: Bool = true) async throws -> MentoringProgramme {
        let rules = try shippedRules(kind == .cityToCity ? "city-to-city" : "duo-for-a-job")
        let p = MentoringProgramme()
        p.title = "\(kind.rawValue) \(UUID().uuidString.prefix(6))"; p.kind = kind.rawValue; p.rulesKey = rules.id; p.rulesVersion = rules.version
        p.rules = try ContentJSON.encode(rules); p.$organiser.id = world.orgC
        p.theme = kind == .cityToCity ? "city-for-all" : nil; p.summary = ""; p.status = open ? "open" : "closed"; p.startsOn = "2026-01-01"
        try await p.create(on: db)
        for s in staff {
            let row = MentoringStaff(); row.$programme.id = try p.requireID(); row.$user.id = world.person(s).id
            try await row.create(on: db)
        }
        return p
    }

    static let eligibleMentee: [String: FactValue] = ["age": 24, "originOutsideEU": true, "workPermit": true, "professionalExperience": false, "hoursPerWeek": 2, "months": 6]
    static let eligibleMentor: [String: FactValue] = ["age": 58, "originOutsideEU": false, "workPermit": true, "professionalExperience": true, "hoursPerWeek": 2, "months": 6]
    static let cityFacts: [String: FactValue] = ["benchmarkSubmitted": true, "contactPerson": true, "politicalSupport": true, "staffDaysPerMonth": 2]

    @discardableResult
    func makeParticipant(_ p: MentoringProgramme, _ role: MentoringRole, name: String? = nil, organisation: Int? = nil, user: Persona? = nil,
                         facts: [String: FactValue]? = nil, sector: String? = nil, capacity: Int = 1) async throws -> MentoringParticipant {
        let m = MentoringParticipant()
        m.$programme.id = try p.requireID(); m.role = role.rawValue; m.$organisation.id = organisation
        var orgName: String? = nil
        if let organisation { orgName = try await Organisation.find(organisation, on: db)?.name }
        m.displayName = name ?? orgName ?? "\(role.rawValue) \(UUID().uuidString.prefix(4))"
        m.$user.id = user.map { world.person($0).id }
        m.facts = try ContentJSON.encode(facts ?? (organisation != nil ? Self.cityFacts : (role == .mentee ? Self.eligibleMentee : Self.eligibleMentor)))
        m.sector = sector; m.languages = "nl"; m.capacity = role == .mentor ? capacity : 0
        try await m.create(on: db)
        return m
    }

    /// A person-to-person pair at the first stage whose mentor signs in as admin B (a person outside the programme's staff).
    func makePersonPair(_ p: MentoringProgramme? = nil) async throws -> MentoringPair {
        let programme: MentoringProgramme
        if let p { programme = p } else { programme = try await makeProgramme(.personToPerson) }
        let mentee = try await makeParticipant(programme, .mentee, name: "Mentee \(UUID().uuidString.prefix(4))")
        let mentor = try await makeParticipant(programme, .mentor, name: "Mentor \(UUID().uuidString.prefix(4))", user: .adminB)
        let pair = MentoringPair()
        pair.$programme.id = try programme.requireID(); pair.$mentee.id = try mentee.requireID(); pair.$mentor.id = try mentor.requireID()
        pair.stage = "discover"; pair.startedOn = "2026-01-01"; pair.agreementGoals = ""; pair.planLongTerm = ""; pair.planPilot = ""
        try await pair.create(on: db)
        return pair
    }

    /// A person-to-person programme with one eligible mentee and one mentor, ready for a round.
    func makeRoundReadyProgramme() async throws -> MentoringProgramme {
        let p = try await makeProgramme(.personToPerson)
        try await makeParticipant(p, .mentee)
        try await makeParticipant(p, .mentor)
        return p
    }

    func makeRound() async throws -> RoundRow {
        let p = try await makeRoundReadyProgramme()
        guard case .success(let r) = try await MentoringUseCases.proposeRound(p, rules: try shippedRules("duo-for-a-job"), by: nil, benchmarks: benchmarks, on: db) else {
            throw TestSetupError("no round")
        }
        return r
    }

    func makeNetwork(host: Int? = nil, sessions: [String] = []) async throws -> LearningNetwork {
        let n = LearningNetwork()
        n.$host.id = host ?? world.orgA; n.title = "Network \(UUID().uuidString.prefix(4))"; n.summary = ""; n.catalogueActionID = "buddies-for-newcomers"
        try await n.create(on: db)
        for d in sessions {
            let s = LearningSession()
            s.$network.id = try n.requireID(); s.day = d; s.place = "City hall"; s.link = ""; s.agenda = "Agenda"; s.notes = ""; s.materials = ""
            try await s.create(on: db)
        }
        return n
    }

    /// An organisation where the persona is an editor (A for those without one), to organise or host as.
    func editorOrganisation(_ persona: Persona) -> Int {
        switch persona {
        case .adminB: return world.orgB
        case .coordinator: return world.orgC
        default: return world.orgA
        }
    }
}
