import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// The plans module's JSON API: catalogues, uptake requests, plans, indicators and values.
    @Suite struct PlanAPI {
        static func client(_ app: Application, _ persona: Persona) async throws -> APIClient {
            try await AppTests.API.client(app, persona)
        }

        static func fields(_ r: TestingHTTPResponse) -> [String: String] {
            ((r.json?["error"] as? [String: Any])?["fields"] as? [String: String]) ?? [:]
        }

        static func items(_ r: TestingHTTPResponse) -> [String: [String: Any]] {
            var out: [String: [String: Any]] = [:]
            for i in (r.json?["items"] as? [[String: Any]]) ?? [] { out[i["action_id"] as? String ?? ""] = i }
            return out
        }

        @Test func catalogueIsUploadedAsADraftAndPublishedByItsCoordinator() async throws {
            try await withTestApp { app in
                let w = app.world
                let coordinator = try await Self.client(app, .coordinator)
                let editorA = try await Self.client(app, .editorA)

                // Municipalities do not upload catalogues; an invalid document is answered with its problems.
                #expect(try await editorA.send(.POST, "/api/v1/catalogues", json: Application.catalogueJSON(id: "by-a")).status == .forbidden)
                var broken = Application.catalogueJSON(id: "broken")
                broken["objectives"] = [[String: any Sendable]]()
                let refused = try await coordinator.send(.POST, "/api/v1/catalogues", json: broken)
                #expect(refused.status == .unprocessableEntity)
                let problems = ((refused.json?["error"] as? [String: Any])?["problems"] as? [[String: Any]]) ?? []
                #expect(problems.contains { $0["path"] as? String == "objectives" })
                #expect(try await CatalogueVersion.query(on: app.db).filter(\.$catalogueKey == "broken").count() == 0)

                let created = try await coordinator.send(.POST, "/api/v1/catalogues", json: Application.catalogueJSON(id: "meeting"))
                #expect(created.status == .created)
                let id = try #require(created.json?["id"] as? Int)
                #expect(created.location == "/api/v1/catalogues/\(id)")
                #expect(created.json?["status"] as? String == "draft")
                #expect(created.json?["publisher_id"] as? Int == w.orgC)
                #expect(((created.json?["content"] as? [String: Any])?["objectives"] as? [Any])?.count == 1)

                // A draft: its publisher reads it; others are refused, and do not see it listed.
                #expect(try await coordinator.send(.GET, "/api/v1/catalogues/\(id)").status == .ok)
                #expect(try await editorA.send(.GET, "/api/v1/catalogues/\(id)").status == .forbidden)
                #expect(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/catalogues/\(id)").status == .unauthorized)
                #expect(!(try await editorA.send(.GET, "/api/v1/catalogues")).jsonArray!.contains { $0["id"] as? Int == id })
                #expect((try await coordinator.send(.GET, "/api/v1/catalogues")).jsonArray!.contains { $0["id"] as? Int == id })

                // Publishing: not by A; "draft" is not a status one sets.
                #expect(try await editorA.send(.POST, "/api/v1/catalogues/\(id)/status", json: ["status": "published"]).status == .forbidden)
                let badStatus = try await coordinator.send(.POST, "/api/v1/catalogues/\(id)/status", json: ["status": "draft"])
                #expect(badStatus.status == .unprocessableEntity)
                #expect(Self.fields(badStatus)["status"] != nil)
                let published = try await coordinator.send(.POST, "/api/v1/catalogues/\(id)/status", json: ["status": "published"])
                #expect(published.status == .ok)
                #expect(published.json?["status"] as? String == "published")
                #expect(try await CatalogueVersion.find(id, on: app.db)?.catalogueStatus == .published)
                let read = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/catalogues/\(id)")
                #expect(read.status == .ok)
                #expect((read.json?["title"] as? [String: String])?["en"] == "Walk meeting")

                // The shipped catalogue, which nobody publishes yet, becomes the publishing coordinator's.
                let shipped = try await app.shippedCatalogue()
                #expect(try await editorA.send(.POST, "/api/v1/catalogues/\(shipped.requireID())/status", json: ["status": "published"]).status == .forbidden)
                let claimed = try await coordinator.send(.POST, "/api/v1/catalogues/\(shipped.requireID())/status", json: ["status": "published"])
                #expect(claimed.status == .ok)
                #expect(claimed.json?["publisher_id"] as? Int == w.orgC)
                let list = try #require((try await editorA.send(.GET, "/api/v1/catalogues")).jsonArray)
                #expect(list.contains { $0["key"] as? String == "plan-living-together" && $0["status"] as? String == "published" })
            }
        }

        @Test func aRequestIsDecidedPerActionRevisedAndApprovedActionsEnterThePlan() async throws {
            try await withTestApp { app in
                let w = app.world
                let catalogue = try await app.makeCatalogue()
                let catalogueID = try catalogue.requireID()
                let editorA = try await Self.client(app, .editorA)
                let coordinator = try await Self.client(app, .coordinator)

                let created = try await editorA.send(.POST, "/api/v1/organisations/\(w.orgA)/uptake-requests", json: [
                    "catalogue_id": catalogueID, "motivation": "Mechelen wants to guide more people to work.",
                    "actions": [["action_id": "guidance-to-work", "budget": "12 500"] as [String: any Sendable],
                                ["action_id": "summer-schools", "budget": 8000] as [String: any Sendable],
                                ["action_id": "bridging-figures", "budget": "3.000,50"] as [String: any Sendable]],
                ])
                #expect(created.status == .created)
                let requestID = try #require(created.json?["id"] as? Int)
                #expect(created.location == "/api/v1/uptake-requests/\(requestID)")
                #expect(created.json?["status"] as? String == "submitted")
                #expect(created.json?["coordinator_id"] as? Int == w.orgC)
                var items = Self.items(created)
                #expect(items.count == 3)
                #expect(items["guidance-to-work"]?["budget"] as? Double == 12500)
                #expect(items["summer-schools"]?["budget"] as? Double == 8000)
                #expect(items["bridging-figures"]?["budget"] as? Double == 3000.5)
                #expect(items.values.allSatisfy { $0["status"] as? String == "pending" })

                // The coordinator sees it among the requests to its catalogue; the municipality among its own.
                let toCatalogue = try #require((try await coordinator.send(.GET, "/api/v1/catalogues/\(catalogueID)/requests")).jsonArray)
                #expect(toCatalogue.map { $0["id"] as? Int } == [requestID])
                #expect(toCatalogue.first?["organisation_name"] as? String == "Mechelen")
                let own = try #require((try await editorA.send(.GET, "/api/v1/organisations/\(w.orgA)/uptake-requests")).jsonArray)
                #expect(own.map { $0["id"] as? Int } == [requestID])

                // Deciding: only the coordinator; a decision must be one of three; changes need a comment.
                let decisions = "/api/v1/uptake-requests/\(requestID)/decisions"
                #expect(try await editorA.send(.POST, decisions, json: ["action_id": "summer-schools", "decision": "approve"]).status == .forbidden)
                let unknown = try await coordinator.send(.POST, decisions, json: ["action_id": "summer-schools", "decision": "maybe"])
                #expect(unknown.status == .unprocessableEntity)
                #expect(Self.fields(unknown)["decision"] != nil)
                let noComment = try await coordinator.send(.POST, decisions, json: ["action_id": "bridging-figures", "decision": "request_changes", "comment": " "])
                #expect(noComment.status == .unprocessableEntity)
                #expect(Self.fields(noComment)["comment:bridging-figures"] != nil)

                #expect(try await coordinator.send(.POST, decisions, json: ["action_id": "guidance-to-work", "decision": "approve"]).status == .ok)
                #expect(try await coordinator.send(.POST, decisions, json: ["action_id": "summer-schools", "decision": "approve", "comment": "Welcome."]).status == .ok)
                let changes = try await coordinator.send(.POST, decisions, json: ["action_id": "bridging-figures", "decision": "request_changes",
                                                                                 "comment": "The budget is above the cap."])
                #expect(changes.status == .ok)
                #expect(changes.json?["status"] as? String == "changes_requested")
                items = Self.items(changes)
                #expect(items["guidance-to-work"]?["status"] as? String == "approved")
                #expect(items["summer-schools"]?["comment"] as? String == "Welcome.")
                #expect(items["bridging-figures"]?["status"] as? String == "changes_requested")
                // An action decided already takes no second decision.
                #expect(try await coordinator.send(.POST, decisions, json: ["action_id": "guidance-to-work", "decision": "decline", "comment": "No."]).status
                        == .unprocessableEntity)

                // The municipality revises: not the coordinator; a reply is needed.
                let revisions = "/api/v1/uptake-requests/\(requestID)/revisions"
                #expect(try await coordinator.send(.POST, revisions, json: ["action_id": "bridging-figures", "budget": 2500, "reply": "Lower."]).status == .forbidden)
                let noReply = try await editorA.send(.POST, revisions, json: ["action_id": "bridging-figures", "budget": 2500])
                #expect(noReply.status == .unprocessableEntity)
                #expect(Self.fields(noReply)["reply:bridging-figures"] != nil)
                let revised = try await editorA.send(.POST, revisions, json: ["action_id": "bridging-figures", "budget": 2500, "reply": "Lowered to the cap."])
                #expect(revised.status == .ok)
                #expect(revised.json?["status"] as? String == "submitted")

                // The stored rows.
                let stored = try await UptakeRequestItem.query(on: app.db).filter(\.$request.$id == requestID).all()
                #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.actionID, $0.status) })
                        == ["guidance-to-work": "approved", "summer-schools": "approved", "bridging-figures": "pending"])
                #expect(stored.first { $0.actionID == "bridging-figures" }?.budget == 2500)
                #expect(try await UptakeRequest.find(requestID, on: app.db)?.status == "submitted")
                let events = try await UptakeEvent.query(on: app.db).filter(\.$request.$id == requestID).sort(\.$id).all()
                #expect(events.map(\.kind) == ["submitted", "approve", "approve", "request_changes", "revised"])
                let actions = try await PlanAction.query(on: app.db).filter(\.$organisation.$id == w.orgA).all()
                #expect(Set(actions.compactMap(\.catalogueActionID)) == ["guidance-to-work", "summer-schools"])
                #expect(actions.allSatisfy { $0.$catalogue.id == catalogueID })
                #expect(actions.first { $0.catalogueActionID == "guidance-to-work" }?.budget == 12500)
                let guidance = try #require(actions.first { $0.catalogueActionID == "guidance-to-work" })
                #expect(try await PlanIndicator.query(on: app.db).filter(\.$action.$id == guidance.requireID()).count() == 3)

                // The history through the API, with who did what.
                let read = try await editorA.send(.GET, "/api/v1/uptake-requests/\(requestID)")
                #expect(read.status == .ok)
                let history = (read.json?["events"] as? [[String: Any]]) ?? []
                #expect(history.map { $0["kind"] as? String } == ["submitted", "approve", "approve", "request_changes", "revised"])
                #expect(history[0]["user_name"] as? String == "Eddie Editor-A")
                #expect(history[3]["user_name"] as? String == "Cora Coordinator")
                #expect(history[3]["organisation_id"] as? Int == w.orgC)
                #expect(history[3]["comment"] as? String == "The budget is above the cap.")
                #expect(try await coordinator.send(.GET, "/api/v1/uptake-requests/\(requestID)").status == .ok)

                // The plan shows the two approved actions; the coordinator's overview the uptake.
                let plan = try await Self.client(app, .viewerA).send(.GET, "/api/v1/organisations/\(w.orgA)/plan")
                #expect(plan.status == .ok)
                let planActions = (plan.json?["actions"] as? [[String: Any]]) ?? []
                #expect(Set(planActions.compactMap { $0["catalogue_action_id"] as? String }) == ["guidance-to-work", "summer-schools"])
                let overview = try await coordinator.send(.GET, "/api/v1/catalogues/\(catalogueID)/overview")
                #expect(overview.status == .ok)
                let uptake = (overview.json?["uptake"] as? [[String: Any]]) ?? []
                let work = try #require(uptake.first { $0["action_id"] as? String == "guidance-to-work" })
                #expect(work["approved"] as? [Int] == [w.orgA])
                #expect((overview.json?["municipalities"] as? [String: String])?[String(w.orgA)] == "Mechelen")
                let bridging = try #require(uptake.first { $0["action_id"] as? String == "bridging-figures" })
                #expect(bridging["pending"] as? [Int] == [w.orgA])
                #expect((overview.json?["without_mentor"] as? [String])?.contains("summer-schools") == true)
                #expect(overview.json?["indicators"] as? [[String: Any]] != nil)
                #expect(try await editorA.send(.GET, "/api/v1/catalogues/\(catalogueID)/overview").status == .forbidden)
            }
        }

        @Test func thePlanIsKeptThroughTheAPIWithValuesReportedByPartners() async throws {
            try await withTestApp { app in
                let w = app.world
                let editorA = try await Self.client(app, .editorA)
                let adminB = try await Self.client(app, .adminB)
                let actions = "/api/v1/organisations/\(w.orgA)/plan/actions"

                // Dates the wrong way round, a budget that is no number: refused, nothing stored.
                let badDates = try await editorA.send(.POST, actions, json: ["title": "Language cafés", "start": "2025-06-01", "end": "2025-01-01"])
                #expect(badDates.status == .unprocessableEntity)
                #expect(Self.fields(badDates)["end"] != nil)
                let badBudget = try await editorA.send(.POST, actions, json: ["title": "Language cafés", "start": "2025-01-01", "end": "2026-12-31",
                                                                              "budget": "lots"])
                #expect(badBudget.status == .unprocessableEntity)
                #expect(Self.fields(badBudget)["budget"] != nil)
                let badGap = try await editorA.send(.POST, actions, json: ["title": "", "start": "2025-01-01", "end": "2026-12-31", "gap": "1:nothing"])
                #expect(Set(Self.fields(badGap).keys) == ["title", "gap"])
                #expect(try await PlanAction.query(on: app.db).count() == 0)

                let created = try await editorA.send(.POST, actions, json: [
                    "title": "Language cafés", "goals": "More people practise Dutch.", "owner": "Team integration", "start": "2025-01-01",
                    "end": "2026-12-31", "budget": 15000, "status": "running",
                ])
                #expect(created.status == .created)
                let actionID = try #require(created.json?["id"] as? Int)
                #expect(created.location == "/api/v1/plan-actions/\(actionID)")
                #expect(created.json?["budget"] as? Double == 15000)
                let stored = try #require(try await PlanAction.find(actionID, on: app.db))
                #expect(stored.title == "Language cafés")
                #expect(stored.endDay == "2026-12-31")
                #expect(stored.status == "running")

                // Changing it replaces its fields.
                let changed = try await editorA.send(.PUT, "/api/v1/plan-actions/\(actionID)", json: [
                    "title": "Language cafés in every district", "start": "2025-01-01", "end": "2027-06-30", "budget": "16 000", "status": "running",
                ])
                #expect(changed.status == .ok)
                #expect(try await PlanAction.find(actionID, on: app.db)?.budget == 16000)
                #expect(try await editorA.send(.PUT, "/api/v1/plan-actions/\(actionID)", json: ["title": "x", "start": "2025-01-01", "end": "2024-01-01"]).status
                        == .unprocessableEntity)
                #expect(try await PlanAction.find(actionID, on: app.db)?.endDay == "2027-06-30")

                // Gent works on it with Mechelen.
                let partners = "/api/v1/plan-actions/\(actionID)/partners"
                #expect(Self.fields(try await editorA.send(.POST, partners, json: ["organisation_id": w.orgA]))["organisation_id"] != nil)
                #expect(try await editorA.send(.POST, partners, json: ["organisation_id": w.orgB]).status == .created)
                #expect(try await editorA.send(.POST, partners, json: ["organisation_id": w.orgB]).status == .unprocessableEntity)
                #expect(try await adminB.send(.POST, partners, json: ["organisation_id": w.malmo]).status == .forbidden)

                let indicator = try await editorA.send(.POST, "/api/v1/plan-actions/\(actionID)/indicators", json: [
                    "name": "Persons practising", "unit": "person", "scale": "count", "direction": "increase", "baseline": 0, "target": "100",
                    "how_measured": "Attendance lists",
                ])
                #expect(indicator.status == .created)
                let indicatorID = try #require(indicator.json?["id"] as? Int)
                let values = "/api/v1/plan-indicators/\(indicatorID)/values"
                #expect(indicator.location == values)
                #expect(Self.fields(try await editorA.send(.POST, "/api/v1/plan-actions/\(actionID)/indicators",
                                                            json: ["name": "Sessions", "unit": "session", "target": -1]))["target"] != nil)

                // Both organisations report, each for itself.
                #expect(try await editorA.send(.POST, values, json: ["reporter_id": w.orgA, "day": "2025-01-15", "value": 12]).status == .created)
                let forA = try await adminB.send(.POST, values, json: ["reporter_id": w.orgA, "day": "2025-02-01", "value": 8])
                #expect(forA.status == .unprocessableEntity)
                #expect(Self.fields(forA)["reporter_id"] != nil)
                let byB = try await adminB.send(.POST, values, json: ["reporter_id": w.orgB, "day": "2025-02-01", "value": "8 persons", "note": "Gent's own cafés"])
                #expect(byB.status == .created)
                #expect(byB.json?["total"] as? Double == 20)
                #expect(try await Self.client(app, .viewerA).send(.POST, values, json: ["reporter_id": w.orgA, "day": "2025-02-01", "value": 1]).status
                        == .forbidden)
                // A later value of Mechelen replaces its earlier one in the total.
                #expect(try await editorA.send(.POST, values, json: ["day": "2025-03-01", "value": "15"]).status == .created)

                #expect(try await editorA.send(.POST, "/api/v1/plan-actions/\(actionID)/updates",
                                               json: ["day": "2025-03-02", "text": "Two cafés opened.", "status": "running"]).status == .created)
                let noText = try await editorA.send(.POST, "/api/v1/plan-actions/\(actionID)/updates", json: ["day": "2025-03-02", "text": ""])
                #expect(Self.fields(noText)["text"] != nil)

                // The plan shows the values side by side and the shared total.
                let plan = try await Self.client(app, .viewerA).send(.GET, "/api/v1/organisations/\(w.orgA)/plan")
                #expect(plan.status == .ok)
                #expect(plan.json?["published"] as? Bool == false)
                let action = try #require((plan.json?["actions"] as? [[String: Any]])?.first { $0["id"] as? Int == actionID })
                #expect((action["partners"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Gent"])
                #expect((action["updates"] as? [[String: Any]])?.first?["text"] as? String == "Two cafés opened.")
                let ind = try #require((action["indicators"] as? [[String: Any]])?.first)
                #expect(ind["target"] as? Double == 100)
                #expect(ind["unit"] as? String == "person")
                let reported = (ind["values"] as? [[String: Any]]) ?? []
                #expect(reported.map { $0["reporter_name"] as? String } == ["Mechelen", "Gent", "Mechelen"])
                #expect(reported.map { $0["value"] as? Double } == [12, 8, 15])
                #expect(ind["total"] as? Double == 23)
                #expect(try await IndicatorValueRow.query(on: app.db).filter(\.$indicator.$id == indicatorID).count() == 3)

                // Gent, a partner, reads the action and its values, not the whole unpublished plan.
                #expect(try await adminB.send(.GET, "/api/v1/plan-actions/\(actionID)").status == .ok)
                #expect((try await adminB.send(.GET, values)).json?["total"] as? Double == 23)
                #expect(try await adminB.send(.GET, "/api/v1/organisations/\(w.orgA)/plan").status == .forbidden)

                // Published, anyone reads it.
                #expect(try await Self.client(app, .viewerA).send(.PATCH, "/api/v1/organisations/\(w.orgA)/plan", json: ["published": true]).status
                        == .forbidden)
                let published = try await editorA.send(.PATCH, "/api/v1/organisations/\(w.orgA)/plan", json: ["published": true])
                #expect(published.status == .ok)
                #expect(published.json?["published"] as? Bool == true)
                #expect(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/organisations/\(w.orgA)/plan").status == .ok)
                #expect(try await APIClient(app: app, token: nil).send(.GET, values).status == .ok)
            }
        }

        @Test func valuesInAnotherUnitOrOutOfRangeAreRefusedAndNotStored() async throws {
            try await withTestApp { app in
                let w = app.world
                let editorA = try await Self.client(app, .editorA)
                let a = try await app.makePlanAction()
                let values = "/api/v1/plan-indicators/\(try await app.firstIndicator(of: a).requireID())/values"
                for (value, field) in [("12 %", "value"), ("12 km", "value"), ("-3", "value"), ("2.5", "value"), ("many", "value")] as [(any Sendable, String)] {
                    let r = try await editorA.send(.POST, values, json: ["reporter_id": w.orgA, "day": "2025-01-15", "value": value])
                    #expect(r.status == .unprocessableEntity, "\(value)")
                    #expect(Self.fields(r)[field] != nil, "\(value)")
                }
                let negative = try await editorA.send(.POST, values, json: ["reporter_id": w.orgA, "day": "2025-01-15", "value": -3])
                #expect(Self.fields(negative)["value"] != nil)
                let future = try await editorA.send(.POST, values, json: ["reporter_id": w.orgA, "day": Day.today.adding(months: 1).description, "value": 3])
                #expect(Self.fields(future)["day"] != nil)
                let badDay = try await editorA.send(.POST, values, json: ["reporter_id": w.orgA, "day": "2025-02-30", "value": 3])
                #expect(Self.fields(badDay)["day"] != nil)
                #expect(try await IndicatorValueRow.query(on: app.db).count() == 0)

                // A catalogue indicator takes its unit in Dutch too, and keeps to its maximum.
                let request = try await app.makeRequest(actions: ["guidance-to-work", "polarisation-action-plan"])
                try await app.decideRequest(request, action: "guidance-to-work", .approve)
                try await app.decideRequest(request, action: "polarisation-action-plan", .approve)
                let taken = try await PlanAction.query(on: app.db).filter(\.$catalogueActionID == "guidance-to-work").first()!
                let newcomers = try #require(try await PlanIndicator.query(on: app.db).filter(\.$action.$id == taken.requireID())
                    .filter(\.$catalogueIndicatorID == "newcomers-guided").first())
                let dutch = try await editorA.send(.POST, "/api/v1/plan-indicators/\(newcomers.requireID())/values",
                                                   json: ["reporter_id": w.orgA, "day": "2025-01-15", "value": "5 personen"])
                #expect(dutch.status == .created)
                let plan = try await PlanAction.query(on: app.db).filter(\.$catalogueActionID == "polarisation-action-plan").first()!
                let adopted = try await app.firstIndicator(of: plan)
                let tooMany = try await editorA.send(.POST, "/api/v1/plan-indicators/\(adopted.requireID())/values",
                                                     json: ["reporter_id": w.orgA, "day": "2025-01-15", "value": 2])
                #expect(tooMany.status == .unprocessableEntity)
                #expect(Self.fields(tooMany)["value"] != nil)
                #expect(try await IndicatorValueRow.query(on: app.db).count() == 1)
            }
        }

        @Test func requestsAgainstADraftOrWithdrawnCatalogueAreRefused() async throws {
            try await withTestApp { app in
                let w = app.world
                let editorA = try await Self.client(app, .editorA)
                let path = "/api/v1/organisations/\(w.orgA)/uptake-requests"
                func body(_ catalogue: Int) -> [String: any Sendable] {
                    ["catalogue_id": catalogue, "motivation": "Please.", "actions": [["action_id": "summer-schools", "budget": 100] as [String: any Sendable]]]
                }
                for status in [CatalogueStatus.draft, .withdrawn] {
                    let row = try await app.makeCatalogue(status: status)
                    let r = try await editorA.send(.POST, path, json: body(try row.requireID()))
                    #expect(r.status == .unprocessableEntity, "\(status)")
                    #expect(Self.fields(r)["catalogue_id"] != nil, "\(status)")
                }
                // The unpublished shipped catalogue, and one that does not exist.
                #expect(Self.fields(try await editorA.send(.POST, path, json: body(try await app.shippedCatalogue().requireID())))["catalogue_id"] != nil)
                #expect(Self.fields(try await editorA.send(.POST, path, json: body(999_999)))["catalogue_id"] != nil)
                // The coordinator's draft is refused to the coordinator's own members as well, because it is not published.
                let published = try await app.makeCatalogue()
                let noActions = try await editorA.send(.POST, path, json: ["catalogue_id": try published.requireID(), "motivation": "Please.",
                                                                           "actions": [[String: any Sendable]]()])
                #expect(Self.fields(noActions)["actions"] != nil)
                let unknownAction = try await editorA.send(.POST, path, json: ["catalogue_id": try published.requireID(), "motivation": "Please.",
                                                                               "actions": [["action_id": "no-such-action"] as [String: any Sendable]]])
                #expect(Self.fields(unknownAction)["actions"] != nil)
                #expect(try await UptakeRequest.query(on: app.db).count() == 0)
                #expect(try await UptakeEvent.query(on: app.db).count() == 0)
                // Only municipalities request actions.
                let coordinator = try await Self.client(app, .coordinator)
                #expect(try await coordinator.send(.POST, "/api/v1/organisations/\(w.orgC)/uptake-requests", json: body(try published.requireID())).status
                        == .unprocessableEntity)
            }
        }

        @Test func requestsAndUnpublishedPlansStayWithTheirOrganisations() async throws {
            try await withTestApp { app in
                let w = app.world
                let request = try await app.makeRequest()
                let requestID = try request.requireID()
                let catalogueID = request.$catalogue.id
                let action = try await app.makePlanAction()
                let actionID = try action.requireID()
                let indicatorID = try await app.firstIndicator(of: action).requireID()

                // The admin of B reads nothing of A's.
                let adminB = try await Self.client(app, .adminB)
                for path in ["/api/v1/organisations/\(w.orgA)/uptake-requests", "/api/v1/uptake-requests/\(requestID)",
                             "/api/v1/organisations/\(w.orgA)/plan", "/api/v1/plan-actions/\(actionID)",
                             "/api/v1/plan-indicators/\(indicatorID)/values"] {
                    let r = try await adminB.send(.GET, path)
                    #expect(r.status == .forbidden, "\(path)")
                    #expect(!r.text.contains("We want to take these up."), "\(path)")
                    #expect(!r.text.contains("Language cafés"), "\(path)")
                }
                #expect(try await adminB.send(.POST, "/api/v1/uptake-requests/\(requestID)/revisions",
                                              json: ["action_id": "guidance-to-work", "budget": 1, "reply": "x"]).status == .forbidden)
                #expect(try await adminB.send(.PATCH, "/api/v1/organisations/\(w.orgA)/plan", json: ["published": true]).status == .forbidden)
                #expect(try await adminB.send(.POST, "/api/v1/organisations/\(w.orgA)/plan/actions",
                                              json: ["title": "Taken over", "start": "2025-01-01", "end": "2025-12-31"]).status == .forbidden)
                #expect(try await ActionPlan.query(on: app.db).filter(\.$organisation.$id == w.orgA).first()?.published == false)

                // A second coordinating organisation sees nothing of the requests to C's catalogue.
                let other = Organisation(kind: .network, name: "Network of Cities", country: "BE", region: "Flanders")
                try await other.create(on: app.db)
                let email = "coordinator.d@example.org"
                let userD = try await app.makeUser(email: email, name: "Dora Coordinator-D", in: try other.requireID(), role: .admin)
                let coordinatorD = APIClient(app: app, token: try await app.makeAPIToken(user: userD.user).secret)
                for path in ["/api/v1/catalogues/\(catalogueID)/requests", "/api/v1/catalogues/\(catalogueID)/overview",
                             "/api/v1/uptake-requests/\(requestID)", "/api/v1/organisations/\(w.orgA)/uptake-requests"] {
                    let r = try await coordinatorD.send(.GET, path)
                    #expect(r.status == .forbidden, "\(path)")
                    #expect(!r.text.contains("We want to take these up."), "\(path)")
                }
                #expect(try await coordinatorD.send(.POST, "/api/v1/uptake-requests/\(requestID)/decisions",
                                                    json: ["action_id": "guidance-to-work", "decision": "approve"]).status == .forbidden)
                #expect(try await coordinatorD.send(.POST, "/api/v1/catalogues/\(catalogueID)/status", json: ["status": "withdrawn"]).status == .forbidden)
                // D's drafts are its own: C does not see them.
                let draftD = try await app.makeCatalogue(publisher: try other.requireID(), status: .draft).requireID()
                let listC = try #require((try await Self.client(app, .coordinator).send(.GET, "/api/v1/catalogues")).jsonArray)
                #expect(!listC.contains { $0["id"] as? Int == draftD })
                #expect((try await coordinatorD.send(.GET, "/api/v1/catalogues")).jsonArray?.contains { $0["id"] as? Int == draftD } == true)
                #expect(try await UptakeRequest.find(requestID, on: app.db)?.status == "submitted")
                #expect(try await UptakeRequestItem.query(on: app.db).filter(\.$request.$id == requestID).first()?.status == "pending")
            }
        }
    }
}
