import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// The mentoring module through its pages and its API: the paths the "done" describes, bad input,
    /// erasure, and who sees what.
    @Suite struct MentoringFlows {
        static let today = Day.today.description

        /// A person-to-person programme with the DUO for a JOB rules: ten people enrolled, an ineligible one refused with
        /// the rule, a round assigned and confirmed, a duo followed to an outcome, one person erased on request.
        @Test func aDuoProgrammeEnrolsMatchesFollowsAndErases() async throws {
            try await withTestApp { app in
                let staff = try await Browser.signedIn(app, as: .coordinator)
                let opened = try await staff.post("/mentoring/programmes/new", [("title", "DUO for a JOB Gent"), ("rules", "duo-for-a-job.v1"),
                                                                                ("organiser", String(app.world.orgC)), ("starts_on", "2026-01-01")])
                #expect(opened.status == .seeOther)
                let programme = try #require(try await MentoringProgramme.query(on: app.db).filter(\.$title == "DUO for a JOB Gent").first())
                let pid = try programme.requireID()
                #expect(try await MentoringStaff.query(on: app.db).filter(\.$programme.$id == pid).all().map { $0.$user.id } == [app.world.person(.coordinator).id])

                func enrol(_ role: String, _ name: String, age: String, sector: String, account: String = "") async throws -> TestingHTTPResponse {
                    let isMentee = role == "mentee"
                    return try await staff.post("/mentoring/programmes/\(pid)/enrol", [
                        ("role", role), ("name", name), ("account", account), ("fact_age", age), ("fact_originOutsideEU", isMentee ? "yes" : "no"),
                        ("fact_workPermit", "yes"), ("fact_professionalExperience", isMentee ? "no" : "yes"), ("fact_hoursPerWeek", "2"),
                        ("fact_months", "6"), ("sector", sector), ("languages", "nl, fr"), ("place", "Gent"), ("hours_per_week", "2"), ("capacity", "1")])
                }
                let mentees = [("Amal", "care"), ("Bilal", "logistics"), ("Chen", "ict"), ("Dawit", "care"), ("Esra", "retail"), ("Farid", "logistics")]
                for (name, sector) in mentees { #expect(try await enrol("mentee", name, age: "25", sector: sector).status == .seeOther) }
                let mentors = [("Greta", "care", app.world.email(.adminB)), ("Hugo", "logistics", ""), ("Ilse", "ict", ""), ("Jan", "finance", "")]
                for (name, sector, account) in mentors { #expect(try await enrol("mentor", name, age: "61", sector: sector, account: account).status == .seeOther) }
                #expect(try await MentoringParticipant.query(on: app.db).filter(\.$programme.$id == pid).count() == 10)

                // Refused: too old to be a mentee; the page names the rule beside the age, keeps what was typed, stores nothing.
                let refused = try await enrol("mentee", "Karim", age: "41", sector: "care")
                #expect(refused.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("fact_age", in: refused.text)?.contains("Mentees are between 18 and 33 years old.") == true)
                #expect(HTMLText.fieldError("fact_age", in: refused.text)?.contains("given: 41") == true)
                #expect(refused.text.contains("value=\"Karim\""))
                #expect(try await MentoringParticipant.query(on: app.db).filter(\.$programme.$id == pid).count() == 10)
                // A fact left out is asked for, by its label.
                let missing = try await staff.post("/mentoring/programmes/\(pid)/enrol", [("role", "mentee"), ("name", "Lina")])
                #expect(HTMLText.fieldError("fact_workPermit", in: missing.text)?.contains("Residence permit that allows work") == true)

                // Suggestions for a mentee, with reasons: the care mentor first for the care mentee.
                let amal = try #require(try await MentoringParticipant.query(on: app.db).filter(\.$displayName == "Amal").first())
                let page = try await staff.get("/mentoring/participants/\(try amal.requireID())")
                let suggestions = try #require(page.text.components(separatedBy: "Suggested mentors").last)
                #expect(suggestions.range(of: "Greta")!.lowerBound < suggestions.range(of: "Hugo")!.lowerBound)
                #expect(suggestions.contains("works in care"))

                // The round: the optimal assignment within capacities (four mentors of one place each, six mentees).
                let proposed = try await staff.post("/mentoring/programmes/\(pid)/rounds")
                #expect(proposed.status == .seeOther)
                let roundPath = try #require(proposed.location)
                let round = try #require(try await RoundRow.query(on: app.db).filter(\.$programme.$id == pid).first())
                let proposals = try await MentoringProposal.query(on: app.db).filter(\.$round.$id == round.requireID()).all()
                #expect(proposals.count == 6)
                #expect(proposals.compactMap { $0.$mentor.id }.count == 4)
                #expect(Set(proposals.compactMap { $0.$mentor.id }).count == 4)
                // Adjusting: two mentees on one mentor exceeds its capacity; refused, nothing changed.
                let greta = try #require(try await MentoringParticipant.query(on: app.db).filter(\.$displayName == "Greta").first())
                let two = proposals.prefix(2).map { ("mentor-\($0.$mentee.id)", String(greta.id!)) }
                let over = try await staff.post(roundPath, two)
                #expect(over.status == .unprocessableEntity)
                #expect(over.text.contains("Greta takes 1 mentee(s) but would get 2"))
                for prop in proposals.prefix(2) {
                    #expect(HTMLText.fieldError("mentor-\(prop.$mentee.id)", in: over.text)?.contains("Greta takes 1 mentee(s): choose another mentor here") == true)
                }
                #expect(try await MentoringProposal.query(on: app.db).filter(\.$round.$id == round.requireID()).all().map { $0.$mentor.id } == proposals.map { $0.$mentor.id })
                #expect(try await staff.post("\(roundPath)/confirm").status == .seeOther)
                let pairs = try await MentoringPair.query(on: app.db).filter(\.$programme.$id == pid).all()
                #expect(pairs.count == 4)
                #expect(pairs.allSatisfy { $0.stage == "discover" })

                // The mentor (admin B) sees their own duo, not another one.
                let gretaPair = try #require(pairs.first { $0.$mentor.id == greta.id })
                let other = try #require(pairs.first { $0.$mentor.id != greta.id })
                let mentor = try await Browser.signedIn(app, as: .adminB)
                #expect(try await mentor.get("/mentoring/pairs/\(try gretaPair.requireID())").status == .ok)
                #expect(try await mentor.get("/mentoring/pairs/\(try other.requireID())").status == .forbidden)
                #expect(try await mentor.get("/mentoring/programmes/\(pid)").status == .forbidden)
                #expect(try await mentor.get("/mentoring/participants/\(gretaPair.$mentee.id)").status == .forbidden)

                // Following the duo: no skipping a stage; a logbook entry in the future is refused; an agreement; an outcome.
                let path = "/mentoring/pairs/\(try gretaPair.requireID())"
                let skip = try await staff.post("\(path)/stage", [("stage", "match")])
                #expect(skip.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("stage", in: skip.text)?.contains("it would skip Train") == true)
                for stage in ["train", "match", "guide"] { #expect(try await staff.post("\(path)/stage", [("stage", stage)]).status == .seeOther) }
                let future = try await mentor.post("\(path)/logbook", [("day", "2999-01-01"), ("kind", "meeting"), ("note", "Next week")])
                #expect(future.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("day", in: future.text)?.contains("after today") == true)
                #expect(future.text.contains("Next week"))
                #expect(try await mentor.post("\(path)/logbook", [("day", Self.today), ("kind", "meeting"), ("note", "CV and two applications")]).status == .seeOther)
                #expect(try await mentor.post("\(path)/agreement", [("signed_on", Self.today), ("goals", "A job in care")]).status == .seeOther)
                #expect(try await mentor.post("\(path)/outcome", [("outcome", "stable-job-3-months"), ("ended_on", Self.today)]).status == .forbidden)
                #expect(try await staff.post("\(path)/stage", [("stage", "evaluate")]).status == .seeOther)
                #expect(try await staff.post("\(path)/outcome", [("outcome", "stable-job-3-months"), ("ended_on", Self.today)]).status == .seeOther)
                let programmePage = try await staff.get("/mentoring/programmes/\(pid)")
                #expect(programmePage.text.contains("<dt>Pairs matched</dt><dd>4</dd>"))
                #expect(programmePage.text.contains("<dt>Ended</dt><dd>1</dd>"))
                let csv = try await staff.get("/mentoring/programmes/\(pid)/figures/export")
                #expect(csv.text.contains("outcome: A job with a contract of at least three months,1,100.0"))

                // Erasure on request: the export first holds the person; afterwards only what the figures need stays.
                let menteeID = gretaPair.$mentee.id
                let export = try await staff.get("/mentoring/participants/\(menteeID)/export")
                #expect(export.text.contains("\"trajectories\""))
                #expect(export.text.contains("CV and two applications"))
                let notConfirmed = try await staff.post("/mentoring/participants/\(menteeID)/erase", [("confirm", "yes")])
                #expect(notConfirmed.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("confirm", in: notConfirmed.text)?.contains("Type ERASE") == true)
                #expect(try await staff.post("/mentoring/participants/\(menteeID)/erase", [("confirm", "erase")]).status == .seeOther,
                        "the word in small letters confirms as well")
                let erased = try #require(try await MentoringParticipant.find(menteeID, on: app.db))
                #expect(erased.erasedAt != nil && erased.displayName == "—" && erased.facts == "{}" && erased.sector == nil && erased.languages == "")
                #expect(try await MentoringLogEntry.query(on: app.db).filter(\.$pair.$id == gretaPair.requireID()).all().map(\.note) == [""])
                let kept = try #require(try await MentoringPair.find(gretaPair.id, on: app.db))
                #expect(kept.outcome == "stable-job-3-months" && kept.agreementGoals.isEmpty)
                let after = try await staff.get("/mentoring/programmes/\(pid)")
                #expect(after.text.contains("<dt>Pairs matched</dt><dd>4</dd>") && after.text.contains("<dt>Ended</dt><dd>1</dd>"))
                #expect(!(try await staff.get("/mentoring/participants/\(menteeID)/export")).text.contains("CV and two applications"))
            }
        }

        /// A city-to-city programme through the API: municipalities enrol themselves, the mentee with gaps gets suggestions
        /// whose reasons name key factors and common ground, a round is confirmed with an adjustment, the pair records a
        /// work visit and an action plan.
        @Test func aCityToCityProgrammeThroughTheAPI() async throws {
            try await withTestApp { app in
                let w = app.world
                try await app.makeAssessment(organisation: w.orgA, levels: [1, 2, 1, 2, 2])
                try await app.makeAssessment(organisation: w.orgB, levels: [4, 4, 3, 4, 3])
                func client(_ p: Persona) async throws -> APIClient { APIClient(app: app, token: try await Browser.signedIn(app, as: p).createAPIToken(name: "t")) }
                let coordinator = try await client(.coordinator), editorA = try await client(.editorA), adminB = try await client(.adminB)

                let created = try await coordinator.send(.POST, "/api/v1/mentoring/programmes", json: ["title": "City for all", "rules": "city-to-city.v1",
                                                                                                    "organiser_id": w.orgC, "theme": "city-for-all"])
                #expect(created.status == .created)
                let pid = try #require(created.json?["id"] as? Int)
                // Without a theme, a city-to-city programme cannot match; an editor of a municipality cannot organise one.
                let noTheme = try await coordinator.send(.POST, "/api/v1/mentoring/programmes", json: ["title": "X", "rules": "city-to-city.v1", "organiser_id": w.orgC])
                #expect(noTheme.status == .unprocessableEntity)
                #expect(try await editorA.send(.POST, "/api/v1/mentoring/programmes", json: ["title": "X", "rules": "city-to-city.v1", "organiser_id": w.orgA, "theme": "city-for-all"]).status == .unprocessableEntity)

                let facts: [String: any Sendable] = ["benchmarkSubmitted": true, "contactPerson": true, "politicalSupport": true, "staffDaysPerMonth": 2]
                let mentee = try await editorA.send(.POST, "/api/v1/mentoring/programmes/\(pid)/participants", json: ["role": "mentee", "organisation_id": w.orgA, "facts": facts])
                #expect(mentee.status == .created)
                // An editor of A cannot enrol B.
                #expect(try await editorA.send(.POST, "/api/v1/mentoring/programmes/\(pid)/participants", json: ["role": "mentor", "organisation_id": w.orgB, "facts": facts]).status == .unprocessableEntity)
                var noTime = facts; noTime["staffDaysPerMonth"] = 0
                let refused = try await adminB.send(.POST, "/api/v1/mentoring/programmes/\(pid)/participants", json: ["role": "mentor", "organisation_id": w.orgB, "facts": noTime])
                #expect(refused.status == .unprocessableEntity)
                #expect(((refused.json?["error"] as? [String: Any])?["fields"] as? [String: String])?["facts.staffDaysPerMonth"]?.contains("mentor-time") == true)
                #expect(try await adminB.send(.POST, "/api/v1/mentoring/programmes/\(pid)/participants", json: ["role": "mentor", "organisation_id": w.orgB, "facts": facts, "capacity": 1]).status == .created)
                // Saying the benchmark was submitted does not make it so.
                let noAssessment = try await coordinator.send(.POST, "/api/v1/mentoring/programmes/\(pid)/participants", json: ["role": "mentor", "organisation_id": w.malmo, "facts": facts, "capacity": 2])
                #expect(noAssessment.status == .unprocessableEntity)
                #expect(((noAssessment.json?["error"] as? [String: Any])?["fields"] as? [String: String])?["facts.benchmarkSubmitted"]?.contains("No submitted assessment of city-for-all") == true)
                try await app.makeAssessment(organisation: w.malmo, levels: [3, 2, 2, 3, 2])
                #expect(try await coordinator.send(.POST, "/api/v1/mentoring/programmes/\(pid)/participants", json: ["role": "mentor", "organisation_id": w.malmo, "facts": facts, "capacity": 2]).status == .created)

                let menteeID = try #require(mentee.json?["id"] as? Int)
                let s = try await coordinator.send(.GET, "/api/v1/mentoring/participants/\(menteeID)/suggestions")
                let list = try #require(s.jsonArray)
                #expect(list.map { $0["name"] as? String } == ["Gent", "Malmö"])
                let gentReasons = (list[0]["reasons"] as? [[String: Any]] ?? []).compactMap { $0["factor"] as? String }
                #expect(gentReasons.first?.hasPrefix("key-factor:") == true)
                #expect(gentReasons.contains("country") && gentReasons.contains("capacity"))
                #expect(!(list[1]["reasons"] as? [[String: Any]] ?? []).compactMap { $0["factor"] as? String }.contains("country"))
                // The municipality reads its own suggestions; another municipality does not.
                #expect(try await editorA.send(.GET, "/api/v1/mentoring/participants/\(menteeID)/suggestions").jsonArray?.count == 2)
                #expect(try await adminB.send(.GET, "/api/v1/mentoring/participants/\(menteeID)/suggestions").status == .forbidden)
                let ownPage = try await Browser.signedIn(app, as: .viewerA).get("/mentoring/participants/\(menteeID)")
                #expect(ownPage.status == .ok && ownPage.text.contains("Suggested mentors") && ownPage.text.contains("Gent"))

                let round = try await coordinator.send(.POST, "/api/v1/mentoring/programmes/\(pid)/rounds")
                #expect(round.status == .created)
                let rid = try #require(round.json?["id"] as? Int)
                let gent = try #require(list[0]["mentor_id"] as? Int), malmo = try #require(list[1]["mentor_id"] as? Int)
                #expect((round.json?["proposals"] as? [[String: Any]])?.first?["mentor_id"] as? Int == gent)
                let confirmed = try await coordinator.send(.POST, "/api/v1/mentoring/rounds/\(rid)/confirm", json: ["assignments": [String(menteeID): malmo]])
                #expect(confirmed.status == .ok)
                let pair = try #require(confirmed.jsonArray?.first)
                #expect(pair["mentor_id"] as? Int == malmo && pair["stage"] as? String == "common-ground-and-benchmark")
                let pairID = try #require(pair["id"] as? Int)

                // The pair records a work visit (not in the future) and its action plan; stages move one at a time.
                let future = try await editorA.send(.POST, "/api/v1/mentoring/pairs/\(pairID)/logbook", json: ["day": "2999-05-01", "kind": "work-visit", "note": "Visit"])
                #expect(future.status == .unprocessableEntity)
                #expect(try await editorA.send(.POST, "/api/v1/mentoring/pairs/\(pairID)/logbook", json: ["day": Self.today, "kind": "work-visit", "note": "Visit to Malmö's welcome centre"]).status == .created)
                #expect(try await editorA.send(.PATCH, "/api/v1/mentoring/pairs/\(pairID)", json: ["plan_long_term": "Residents' panels", "plan_pilot": "One district"]).status == .ok)
                #expect(try await editorA.send(.POST, "/api/v1/mentoring/pairs/\(pairID)/stage", json: ["stage": "preparation"]).status == .forbidden)
                let skip = try await coordinator.send(.POST, "/api/v1/mentoring/pairs/\(pairID)/stage", json: ["stage": "mentoring"])
                #expect(skip.status == .unprocessableEntity)
                #expect(try await coordinator.send(.POST, "/api/v1/mentoring/pairs/\(pairID)/stage", json: ["stage": "preparation"]).status == .ok)
                let log = try await adminB.send(.GET, "/api/v1/mentoring/pairs/\(pairID)/logbook")
                #expect(log.status == .forbidden)   // B is not in this pair
                // Closing the programme ends self-enrolment.
                #expect(try await editorA.send(.PATCH, "/api/v1/mentoring/programmes/\(pid)", json: ["status": "closed"]).status == .forbidden)
                let closed = try await coordinator.send(.PATCH, "/api/v1/mentoring/programmes/\(pid)", json: ["status": "closed"])
                #expect(closed.status == .ok && closed.json?["status"] as? String == "closed")
                #expect(try await editorA.send(.POST, "/api/v1/mentoring/programmes/\(pid)/participants", json: ["role": "mentor", "organisation_id": w.orgA, "facts": facts]).status == .forbidden)
                let stored = try #require(try await MentoringPair.find(pairID, on: app.db))
                #expect(stored.stage == "preparation" && stored.planPilot == "One district")
                #expect(try await MentoringLogEntry.query(on: app.db).filter(\.$pair.$id == pairID).all().map(\.kind) == ["work-visit"])
                // Each side evaluates for itself.
                #expect(try await editorA.send(.POST, "/api/v1/mentoring/pairs/\(pairID)/evaluations", json: ["side": "mentee", "rating": 4, "text": "Useful visits"]).status == .created)
                #expect(try await editorA.send(.POST, "/api/v1/mentoring/pairs/\(pairID)/evaluations", json: ["side": "mentor", "rating": 5]).status == .forbidden)
                #expect(try await editorA.send(.POST, "/api/v1/mentoring/pairs/\(pairID)/evaluations", json: ["side": "mentee", "rating": 9]).status == .unprocessableEntity)
                #expect(try await MentoringEvaluation.query(on: app.db).all().map { "\($0.side):\($0.rating)" } == ["mentee:4"])

                // A learning network through the API: members, a session held with its attendance, strangers refused.
                let network = try await editorA.send(.POST, "/api/v1/learning-networks", json: ["host_id": w.orgA, "title": "Residents' panels", "members": [w.orgB]])
                #expect(network.status == .created)
                let nid = try #require(network.json?["id"] as? Int)
                let session = try await editorA.send(.POST, "/api/v1/learning-networks/\(nid)/sessions", json: ["day": "2026-01-20", "place": "Mechelen", "agenda": "Panels", "attended_by": [w.orgB, w.malmo]])
                #expect(session.status == .unprocessableEntity)
                #expect(try await LearningSession.query(on: app.db).count() == 0)
                let held = try await editorA.send(.POST, "/api/v1/learning-networks/\(nid)/sessions", json: ["day": "2026-01-20", "place": "Mechelen", "agenda": "Panels", "attended_by": [w.orgB]])
                #expect(held.status == .created)
                let sid = try #require(((held.json?["sessions"] as? [[String: Any]])?.first)?["id"] as? Int)
                #expect(try await adminB.send(.PUT, "/api/v1/learning-sessions/\(sid)/attendance", json: ["organisation_ids": [w.orgB]]).status == .forbidden)
                let attendance = try await editorA.send(.PUT, "/api/v1/learning-sessions/\(sid)/attendance", json: ["organisation_ids": [w.orgA, w.orgB]])
                #expect(attendance.status == .ok)
                #expect(((attendance.json?["sessions"] as? [[String: Any]])?.first)?["attended_by"] as? [Int] == [w.orgA, w.orgB].sorted())
            }
        }

        /// A municipality runs a buddy programme with other rules: the choice the rules limit is asked as a list, and a
        /// newcomer who arrived too long ago is refused with the rule.
        @Test func aBuddyProgrammeRunsOnItsOwnRules() async throws {
            try await withTestApp { app in
                let editor = try await Browser.signedIn(app, as: .editorA)
                #expect(try await editor.post("/mentoring/programmes/new", [("title", "Buddies Mechelen"), ("rules", "buddies-for-newcomers.v1"),
                                                                            ("organiser", String(app.world.orgA)), ("starts_on", "2026-03-01")]).status == .seeOther)
                let p = try #require(try await MentoringProgramme.query(on: app.db).filter(\.$title == "Buddies Mechelen").first())
                let form = try await editor.get("/mentoring/programmes/\(try p.requireID())/enrol?role=mentee")
                #expect(form.text.contains("<select id=\"f-fact_form\" name=\"fact_form\">"))
                #expect(form.text.contains("<option value=\"shared-meal\">"))
                let rules = try app.shippedRules("buddies-for-newcomers")
                let recent = try #require(rules.menteeRules.first { $0.field == "yearsInCountry" })
                var fields: [(String, String)] = [("role", "mentee"), ("name", "Newcomer")]
                for f in rules.facts {
                    let v: String
                    switch f.id {
                    case "form": v = "shared-meal"
                    case "yearsInCountry": v = String(Int((recent.max ?? 3) + 5))
                    default: v = f.type == .boolean ? "yes" : "20"
                    }
                    fields.append(("fact_\(f.id)", v))
                }
                let refused = try await editor.post("/mentoring/programmes/\(try p.requireID())/enrol", fields)
                #expect(refused.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("fact_yearsInCountry", in: refused.text)?.contains(recent.message("en")) == true)
                #expect(try await MentoringParticipant.query(on: app.db).count() == 0)
            }
        }

        /// Staff of one programme see nothing of another's participants, rounds or trajectories.
        @Test func staffOfOneProgrammeSeeNothingOfAnother() async throws {
            try await withTestApp { app in
                let x = try await app.makeProgramme(.personToPerson, staff: [.coordinator])
                let y = try await app.makeProgramme(.personToPerson, staff: [.adminA])
                let px = try await app.makePersonPair(x), py = try await app.makePersonPair(y)
                let a = try await Browser.signedIn(app, as: .adminA), c = try await Browser.signedIn(app, as: .coordinator)
                for (browser, own, other, ownPair, otherPair) in [(a, y, x, py, px), (c, x, y, px, py)] {
                    #expect(try await browser.get("/mentoring/programmes/\(try own.requireID())").status == .ok)
                    #expect(try await browser.get("/mentoring/programmes/\(try other.requireID())").status == .forbidden)
                    #expect(try await browser.get("/mentoring/participants/\(otherPair.$mentee.id)").status == .forbidden)
                    #expect(try await browser.get("/mentoring/participants/\(otherPair.$mentee.id)/export").status == .forbidden)
                    #expect(try await browser.get("/mentoring/pairs/\(try otherPair.requireID())").status == .forbidden)
                    #expect(try await browser.get("/mentoring/pairs/\(try ownPair.requireID())").status == .ok)
                    let index = try await browser.get("/mentoring")
                    #expect(index.text.contains(own.title) && !index.text.contains(other.title))
                }
            }
        }

        /// Learning networks: sessions need a place or a link; attendance only of members; two sessions held make the
        /// host a qualified mentor on the programme page of a city-to-city programme on the same catalogue action.
        @Test func aLearningNetworkQualifiesItsHost() async throws {
            try await withTestApp { app in
                let w = app.world
                _ = try await app.makeCatalogue()
                let editor = try await Browser.signedIn(app, as: .editorA)
                // An action no catalogue has is named, not stored.
                let unknown = try await editor.post("/learning-networks/new", [("host", String(w.orgA)), ("title", "Buddies network"),
                                                                               ("catalogue_action", "no-such-action")])
                #expect(unknown.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("catalogue_action", in: unknown.text)?.contains("no-such-action") == true)
                #expect(try await LearningNetwork.query(on: app.db).count() == 0)
                #expect(try await editor.post("/learning-networks/new", [("host", String(w.orgA)), ("title", "Buddies network"), ("catalogue_action", "buddies-for-newcomers")]).status == .seeOther)
                let n = try #require(try await LearningNetwork.query(on: app.db).filter(\.$title == "Buddies network").first())
                let nid = try n.requireID()
                #expect(try await editor.post("/learning-networks/\(nid)/members", [("organisation", "Gent")]).status == .seeOther)
                let nowhere = try await editor.post("/learning-networks/\(nid)/sessions", [("day", "2026-01-10"), ("agenda", "Start")])
                #expect(nowhere.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("place", in: nowhere.text)?.contains("a place, an online link") == true)
                for day in ["2026-01-10", "2026-02-10"] {
                    #expect(try await editor.post("/learning-networks/\(nid)/sessions", [("day", day), ("place", "Mechelen"), ("agenda", "Buddies")]).status == .seeOther)
                }
                let session = try #require(try await LearningSession.query(on: app.db).filter(\.$network.$id == nid).first())
                let stranger = try await editor.post("/learning-sessions/\(try session.requireID())/attendance", [("present", String(w.malmo))])
                #expect(stranger.status == .unprocessableEntity)
                #expect(try await editor.post("/learning-sessions/\(try session.requireID())/attendance", [("present", String(w.orgB)), ("present", String(w.orgA))]).status == .seeOther)
                #expect(Set(try await LearningAttendance.query(on: app.db).all().map { $0.$organisation.id }) == [w.orgA, w.orgB])

                let p = try await app.makeProgramme(.cityToCity)
                p.catalogueActionID = "buddies-for-newcomers"; try await p.save(on: app.db)
                try await app.makeParticipant(p, .mentor, organisation: w.orgA)
                try await app.makeParticipant(p, .mentor, organisation: w.orgB)
                let page = try await Browser(app).get("/mentoring/programmes/\(try p.requireID())")
                #expect(page.status == .ok)
                #expect(page.text.components(separatedBy: "qualified mentor").count == 2)
                #expect(try await Browser(app).get("/learning-networks").status != .ok)
                // The API says the same: qualified on the action, not by sessions of a network without one.
                let other = try await app.makeNetwork(host: w.orgA, sessions: ["2026-01-05", "2026-01-06"])
                other.catalogueActionID = nil; try await other.save(on: app.db)
                let api = APIClient(app: app, token: try await editor.createAPIToken(name: "networks"))
                let listed = try #require(try await api.send(.GET, "/api/v1/learning-networks").jsonArray)
                let mine = try #require(listed.first { $0["id"] as? Int == nid }), theOther = try #require(listed.first { $0["id"] as? Int == other.id })
                #expect(mine["qualified"] as? Bool == true && mine["sessions_held"] as? Int == 2)
                #expect(theOther["qualified"] as? Bool == false && theOther["sessions_held"] as? Int == 2)
                #expect(try await api.send(.GET, "/api/v1/learning-networks/\(try other.requireID())").json?["qualified"] as? Bool == false)
                #expect(!(try await editor.get("/learning-networks/\(try other.requireID())")).text.contains("qualified mentor"))
                #expect(try await editor.get("/learning-networks/\(nid)").text.contains("qualified mentor"))
                // The catalogue names the host as a qualified mentor of the action.
                let catalogue = try await Browser(app).get("/plans/catalogues/\(try await app.makeCatalogue().requireID())")
                let buddies = try #require(catalogue.text.components(separatedBy: "id=\"a-buddies-for-newcomers\"").last?.components(separatedBy: "</section>").first)
                #expect(buddies.contains("Qualified mentors") && buddies.contains(">Mechelen</a>"))
                #expect(!catalogue.text.components(separatedBy: "id=\"a-guidance-to-work\"").last!.components(separatedBy: "</section>").first!.contains("Qualified mentors"))
            }
        }
    }
}
