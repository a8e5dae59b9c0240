import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests.AuthorizationWalk {
    /// Everyone who is an editor somewhere (and may open a programme or host a learning network).
    static let editors: Set<Persona> = [.editorA, .adminA, .adminB, .coordinator, .platformAdmin]
    /// The probed programmes' staff: the coordinator (named on each), and the platform administrator.
    static let staff: Set<Persona> = [.coordinator, .platformAdmin]
    /// Staff and the probed duo's mentor, who signs in as admin B.
    static let staffAndMentor: Set<Persona> = staff.union([.adminB])
    /// Who may enrol in an open city-to-city programme: staff, and editors of a municipality (for their own).
    static let cityEnrollers: Set<Persona> = staff.union([.editorA, .adminA, .adminB])

    static func cityEnrolment(_ app: Application, _ p: Persona) -> [String: any Sendable] {
        ["role": "mentee", "organisation_id": p == .adminB ? app.world.orgB : app.world.orgA,
         "facts": ["benchmarkSubmitted": true, "contactPerson": true, "politicalSupport": true, "staffDaysPerMonth": 2] as [String: any Sendable]]
    }

    static let mentoringPageRules: [Rule] = [
        Rule(method: .GET, pattern: "/mentoring", allowed: everyone) { _, _ in Probe(path: "/mentoring") },
        Rule(method: .GET, pattern: "/mentoring/programmes/new", allowed: editors) { _, _ in Probe(path: "/mentoring/programmes/new") },
        Rule(method: .POST, pattern: "/mentoring/programmes/new", allowed: editors) { app, p in
            Probe(path: "/mentoring/programmes/new", form: [("title", "Walk"), ("rules", "duo-for-a-job.v1"), ("organiser", String(app.editorOrganisation(p))),
                                                            ("starts_on", "2026-01-01")])
        },
        // A person-to-person programme: its staff only.
        Rule(method: .GET, pattern: "/mentoring/programmes/:programmeID", allowed: staff) { app, _ in
            Probe(path: "/mentoring/programmes/\(try await app.makeProgramme(.personToPerson).requireID())")
        },
        Rule(method: .POST, pattern: "/mentoring/programmes/:programmeID/staff", allowed: staff) { app, _ in
            Probe(path: "/mentoring/programmes/\(try await app.makeProgramme(.personToPerson).requireID())/staff", form: [("email", app.world.email(.viewerA))])
        },
        Rule(method: .POST, pattern: "/mentoring/programmes/:programmeID/status", allowed: staff) { app, _ in
            Probe(path: "/mentoring/programmes/\(try await app.makeProgramme(.personToPerson).requireID())/status", form: [("open", "false")])
        },
        // An open city-to-city programme: staff enrol anyone, a municipality's editors their own.
        Rule(method: .GET, pattern: "/mentoring/programmes/:programmeID/enrol", allowed: cityEnrollers) { app, _ in
            Probe(path: "/mentoring/programmes/\(try await app.makeProgramme(.cityToCity).requireID())/enrol")
        },
        Rule(method: .POST, pattern: "/mentoring/programmes/:programmeID/enrol", allowed: cityEnrollers) { app, p in
            try await app.makeAssessment(organisation: p == .adminB ? app.world.orgB : app.world.orgA, levels: [3, 3, 3, 3, 3])
            return Probe(path: "/mentoring/programmes/\(try await app.makeProgramme(.cityToCity).requireID())/enrol",
                  form: [("role", "mentee"), ("organisation", String(p == .adminB ? app.world.orgB : app.world.orgA)), ("fact_benchmarkSubmitted", "yes"),
                         ("fact_contactPerson", "yes"), ("fact_politicalSupport", "yes"), ("fact_staffDaysPerMonth", "2")])
        },
        Rule(method: .GET, pattern: "/mentoring/programmes/:programmeID/figures/export", allowed: staff) { app, _ in
            Probe(path: "/mentoring/programmes/\(try await app.makeProgramme(.personToPerson).requireID())/figures/export")
        },
        Rule(method: .POST, pattern: "/mentoring/programmes/:programmeID/rounds", allowed: staff) { app, _ in
            Probe(path: "/mentoring/programmes/\(try await app.makeRoundReadyProgramme().requireID())/rounds")
        },
        Rule(method: .GET, pattern: "/mentoring/rounds/:roundID", allowed: staff) { app, _ in
            Probe(path: "/mentoring/rounds/\(try await app.makeRound().requireID())")
        },
        Rule(method: .POST, pattern: "/mentoring/rounds/:roundID", allowed: staff) { app, _ in
            Probe(path: "/mentoring/rounds/\(try await app.makeRound().requireID())")
        },
        Rule(method: .POST, pattern: "/mentoring/rounds/:roundID/confirm", allowed: staff) { app, _ in
            Probe(path: "/mentoring/rounds/\(try await app.makeRound().requireID())/confirm")
        },
        // A person's data: the programme's staff.
        Rule(method: .GET, pattern: "/mentoring/participants/:participantID", allowed: staff) { app, _ in
            Probe(path: "/mentoring/participants/\(try await app.makePersonPair().$mentee.id)")
        },
        Rule(method: .GET, pattern: "/mentoring/participants/:participantID/export", allowed: staff) { app, _ in
            Probe(path: "/mentoring/participants/\(try await app.makePersonPair().$mentee.id)/export")
        },
        Rule(method: .POST, pattern: "/mentoring/participants/:participantID/erase", allowed: staff) { app, _ in
            Probe(path: "/mentoring/participants/\(try await app.makePersonPair().$mentee.id)/erase", form: [("confirm", "ERASE")])
        },
        // A duo's trajectory: staff and the duo's own mentor (admin B); stages and outcomes are the staff's.
        Rule(method: .GET, pattern: "/mentoring/pairs/:pairID", allowed: staffAndMentor) { app, _ in
            Probe(path: "/mentoring/pairs/\(try await app.makePersonPair().requireID())")
        },
        Rule(method: .POST, pattern: "/mentoring/pairs/:pairID/stage", allowed: staff) { app, _ in
            Probe(path: "/mentoring/pairs/\(try await app.makePersonPair().requireID())/stage", form: [("stage", "train")])
        },
        Rule(method: .POST, pattern: "/mentoring/pairs/:pairID/outcome", allowed: staff) { app, _ in
            Probe(path: "/mentoring/pairs/\(try await app.makePersonPair().requireID())/outcome", form: [("outcome", "none"), ("ended_on", "2026-02-01"),
                                                                                    ("confirm_early", "yes"), ("early_reason", "Moved away")])
        },
        Rule(method: .POST, pattern: "/mentoring/pairs/:pairID/logbook", allowed: staffAndMentor) { app, _ in
            Probe(path: "/mentoring/pairs/\(try await app.makePersonPair().requireID())/logbook", form: [("day", "2026-02-01"), ("kind", "contact"), ("note", "Met")])
        },
        Rule(method: .POST, pattern: "/mentoring/pairs/:pairID/agreement", allowed: staffAndMentor) { app, _ in
            Probe(path: "/mentoring/pairs/\(try await app.makePersonPair().requireID())/agreement", form: [("signed_on", "2026-02-01"), ("goals", "A job")])
        },
        Rule(method: .POST, pattern: "/mentoring/pairs/:pairID/plan", allowed: staffAndMentor) { app, _ in
            Probe(path: "/mentoring/pairs/\(try await app.makePersonPair().requireID())/plan", form: [("long_term", "Plan"), ("pilot", "")])
        },
        Rule(method: .POST, pattern: "/mentoring/pairs/:pairID/evaluation", allowed: staffAndMentor) { app, _ in
            Probe(path: "/mentoring/pairs/\(try await app.makePersonPair().requireID())/evaluation", form: [("side", "mentor"), ("rating", "4"), ("text", "")])
        },
        // Learning networks: read by everyone signed in, managed by the host's editors (A).
        Rule(method: .GET, pattern: "/learning-networks", allowed: signedIn) { _, _ in Probe(path: "/learning-networks") },
        Rule(method: .GET, pattern: "/learning-networks/new", allowed: editors) { _, _ in Probe(path: "/learning-networks/new") },
        Rule(method: .POST, pattern: "/learning-networks/new", allowed: editors) { app, p in
            Probe(path: "/learning-networks/new", form: [("host", String(app.editorOrganisation(p))), ("title", "Walk network")])
        },
        Rule(method: .GET, pattern: "/learning-networks/:networkID", allowed: signedIn) { app, _ in
            Probe(path: "/learning-networks/\(try await app.makeNetwork().requireID())")
        },
        Rule(method: .POST, pattern: "/learning-networks/:networkID/members", allowed: editorsOfA) { app, _ in
            Probe(path: "/learning-networks/\(try await app.makeNetwork().requireID())/members", form: [("organisation", String(app.world.orgB))])
        },
        Rule(method: .POST, pattern: "/learning-networks/:networkID/sessions", allowed: editorsOfA) { app, _ in
            Probe(path: "/learning-networks/\(try await app.makeNetwork().requireID())/sessions", form: [("day", "2026-03-01"), ("place", "Hall"), ("agenda", "Walk")])
        },
        Rule(method: .POST, pattern: "/learning-sessions/:sessionID/attendance", allowed: editorsOfA) { app, _ in
            let n = try await app.makeNetwork(sessions: ["2026-01-15"])
            let s = try await LearningSession.query(on: app.db).filter(\.$network.$id == n.requireID()).first()
            return Probe(path: "/learning-sessions/\(try s!.requireID())/attendance", form: [("present", String(app.world.orgA))])
        },
    ]

    static let mentoringAPIRules: [Rule] = [
        Rule(method: .GET, pattern: "/api/v1/mentoring/programmes", allowed: everyone) { _, _ in Probe(path: "/api/v1/mentoring/programmes") },
        Rule(method: .POST, pattern: "/api/v1/mentoring/programmes", allowed: editors) { app, p in
            Probe(path: "/api/v1/mentoring/programmes", json: ["title": "Walk", "rules": "duo-for-a-job.v1", "organiser_id": app.editorOrganisation(p)])
        },
        Rule(method: .GET, pattern: "/api/v1/mentoring/programmes/:programmeID", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/programmes/\(try await app.makeProgramme(.personToPerson).requireID())")
        },
        Rule(method: .PATCH, pattern: "/api/v1/mentoring/programmes/:programmeID", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/programmes/\(try await app.makeProgramme(.personToPerson).requireID())", json: ["status": "closed"])
        },
        Rule(method: .GET, pattern: "/api/v1/mentoring/programmes/:programmeID/participants", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/programmes/\(try await app.makeProgramme(.personToPerson).requireID())/participants")
        },
        Rule(method: .POST, pattern: "/api/v1/mentoring/programmes/:programmeID/participants", allowed: cityEnrollers) { app, p in
            try await app.makeAssessment(organisation: p == .adminB ? app.world.orgB : app.world.orgA, levels: [3, 3, 3, 3, 3])
            return Probe(path: "/api/v1/mentoring/programmes/\(try await app.makeProgramme(.cityToCity).requireID())/participants", json: cityEnrolment(app, p))
        },
        Rule(method: .POST, pattern: "/api/v1/mentoring/programmes/:programmeID/rounds", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/programmes/\(try await app.makeRoundReadyProgramme().requireID())/rounds")
        },
        Rule(method: .GET, pattern: "/api/v1/mentoring/participants/:participantID", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/participants/\(try await app.makePersonPair().$mentee.id)")
        },
        Rule(method: .DELETE, pattern: "/api/v1/mentoring/participants/:participantID", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/participants/\(try await app.makePersonPair().$mentee.id)")
        },
        Rule(method: .GET, pattern: "/api/v1/mentoring/participants/:participantID/export", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/participants/\(try await app.makePersonPair().$mentee.id)/export")
        },
        Rule(method: .GET, pattern: "/api/v1/mentoring/participants/:participantID/suggestions", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/participants/\(try await app.makePersonPair().$mentee.id)/suggestions")
        },
        Rule(method: .GET, pattern: "/api/v1/mentoring/rounds/:roundID", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/rounds/\(try await app.makeRound().requireID())")
        },
        Rule(method: .POST, pattern: "/api/v1/mentoring/rounds/:roundID/confirm", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/rounds/\(try await app.makeRound().requireID())/confirm", json: [:])
        },
        Rule(method: .GET, pattern: "/api/v1/mentoring/pairs/:pairID", allowed: staffAndMentor) { app, _ in
            Probe(path: "/api/v1/mentoring/pairs/\(try await app.makePersonPair().requireID())")
        },
        Rule(method: .PATCH, pattern: "/api/v1/mentoring/pairs/:pairID", allowed: staffAndMentor) { app, _ in
            Probe(path: "/api/v1/mentoring/pairs/\(try await app.makePersonPair().requireID())", json: ["plan_long_term": "Plan"])
        },
        Rule(method: .POST, pattern: "/api/v1/mentoring/pairs/:pairID/stage", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/pairs/\(try await app.makePersonPair().requireID())/stage", json: ["stage": "train"])
        },
        Rule(method: .POST, pattern: "/api/v1/mentoring/pairs/:pairID/outcome", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/pairs/\(try await app.makePersonPair().requireID())/outcome", json: ["outcome": "none", "ended_on": "2026-02-01",
                                                                                           "confirm_early": true, "early_reason": "Moved away"])
        },
        Rule(method: .GET, pattern: "/api/v1/mentoring/pairs/:pairID/logbook", allowed: staffAndMentor) { app, _ in
            Probe(path: "/api/v1/mentoring/pairs/\(try await app.makePersonPair().requireID())/logbook")
        },
        Rule(method: .POST, pattern: "/api/v1/mentoring/pairs/:pairID/logbook", allowed: staffAndMentor) { app, _ in
            Probe(path: "/api/v1/mentoring/pairs/\(try await app.makePersonPair().requireID())/logbook", json: ["day": "2026-02-01", "kind": "contact", "note": "Met"])
        },
        Rule(method: .POST, pattern: "/api/v1/mentoring/programmes/:programmeID/staff", allowed: staff) { app, _ in
            Probe(path: "/api/v1/mentoring/programmes/\(try await app.makeProgramme(.personToPerson).requireID())/staff", json: ["email": app.world.email(.viewerA)])
        },
        Rule(method: .POST, pattern: "/api/v1/mentoring/pairs/:pairID/evaluations", allowed: staffAndMentor) { app, _ in
            Probe(path: "/api/v1/mentoring/pairs/\(try await app.makePersonPair().requireID())/evaluations", json: ["side": "mentor", "rating": 4])
        },
        Rule(method: .POST, pattern: "/api/v1/learning-networks/:networkID/members", allowed: editorsOfA) { app, _ in
            Probe(path: "/api/v1/learning-networks/\(try await app.makeNetwork().requireID())/members", json: ["organisation_id": app.world.orgB])
        },
        Rule(method: .PUT, pattern: "/api/v1/learning-sessions/:sessionID/attendance", allowed: editorsOfA) { app, _ in
            let n = try await app.makeNetwork(sessions: ["2026-01-15"])
            let s = try await LearningSession.query(on: app.db).filter(\.$network.$id == n.requireID()).first()
            return Probe(path: "/api/v1/learning-sessions/\(try s!.requireID())/attendance", json: ["organisation_ids": [app.world.orgA]])
        },
        Rule(method: .GET, pattern: "/api/v1/learning-networks", allowed: signedIn) { _, _ in Probe(path: "/api/v1/learning-networks") },
        Rule(method: .POST, pattern: "/api/v1/learning-networks", allowed: editors) { app, p in
            Probe(path: "/api/v1/learning-networks", json: ["host_id": app.editorOrganisation(p), "title": "Walk network"])
        },
        Rule(method: .GET, pattern: "/api/v1/learning-networks/:networkID", allowed: signedIn) { app, _ in
            Probe(path: "/api/v1/learning-networks/\(try await app.makeNetwork().requireID())")
        },
        Rule(method: .POST, pattern: "/api/v1/learning-networks/:networkID/sessions", allowed: editorsOfA) { app, _ in
            Probe(path: "/api/v1/learning-networks/\(try await app.makeNetwork().requireID())/sessions", json: ["day": "2026-03-01", "link": "https://meet.example.org/x", "agenda": "Walk"])
        },
    ]
}
