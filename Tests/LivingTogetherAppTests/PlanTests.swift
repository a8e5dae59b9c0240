import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// The plans module through its pages: the path the issue's "done" describes, bad input, and who sees what.
    @Suite struct PlanPages {
        /// The association publishes the shipped catalogue, the municipality requests three actions, two are approved and a
        /// change is asked on the third, the municipality answers; the plan gets partners who report values; the yearly
        /// report and the coordinator's view show the result.
        @Test func theWholePathThroughThePages() async throws {
            try await withTestApp { app in
                let w = app.world
                let shipped = try await app.shippedCatalogue()
                var cid = try shipped.requireID()
                let coordinator = try await Browser.signedIn(app, as: .coordinator)
                let editor = try await Browser.signedIn(app, as: .editorA)

                // An unowned draft: the municipality cannot read it yet; the coordinator publishes it as the association's.
                #expect(try await editor.get("/plans/catalogues/\(cid)").status == .forbidden)
                let catalogue = try await coordinator.get("/plans/catalogues/\(cid)")
                #expect(catalogue.text.contains("Publish this version"))
                #expect(catalogue.text.contains("Guidance to work") || catalogue.text.contains("guidance"))
                let published = try await coordinator.post("/plans/catalogues/\(cid)/status", [("status", "published")])
                #expect(published.status == .seeOther)
                let row = try #require(try await CatalogueVersion.find(cid, on: app.db))
                #expect(row.status == "published")
                #expect(row.$publisher.id == w.orgC)
                #expect(try await Browser(app).get("/plans").text.contains("Plan Living Together"))

                // Its period (2022–2025) has ended: it takes no request, and says why beside the catalogue.
                let ended = try await editor.post("/plans/catalogues/\(cid)/request", [
                    ("organisation", String(w.orgA)), ("motivation", "Late."), ("action:guidance-to-work", "1"), ("budget:guidance-to-work", "100")])
                #expect(ended.status == .unprocessableEntity)
                #expect(ended.text.contains("period ended on 2025-12-31"))
                #expect(try await UptakeRequest.query(on: app.db).count() == 0)
                // The next version, over a running period (as the demo adds it), is published in turn.
                try await DemoContent.loadDemoCatalogueVersion(app, publisher: w.orgC)
                let next = try #require(try await CatalogueVersion.query(on: app.db).filter(\.$catalogueKey == "plan-living-together")
                    .filter(\.$version == 2).first())
                cid = try next.requireID()
                #expect(try await coordinator.post("/plans/catalogues/\(cid)/status", [("status", "published")]).status == .seeOther)

                // Above the action's cap (bystander training: 300 units × € 90 = € 27,000) a budget is refused beside it.
                let overCap = try await editor.post("/plans/catalogues/\(cid)/request", [
                    ("organisation", String(w.orgA)), ("motivation", "Many."), ("action:bystander-training", "1"),
                    ("budget:bystander-training", "27.000,50")])
                #expect(overCap.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("budget-bystander-training", in: overCap.text)?.contains("at most € 27000") == true)
                #expect(overCap.text.contains("27.000,50"), "what was typed stays in the field")

                // The request: three actions in one, with budgets as people type them.
                let form = try await editor.get("/plans/catalogues/\(cid)/request")
                #expect(form.status == .ok)
                #expect(form.text.contains("name=\"action:guidance-to-work\""))
                let sent = try await editor.post("/plans/catalogues/\(cid)/request", [
                    ("organisation", String(w.orgA)), ("motivation", "Many newcomers look for work; few guides."),
                    ("action:guidance-to-work", "1"), ("budget:guidance-to-work", "170 950"),
                    ("action:buddies-for-newcomers", "1"), ("budget:buddies-for-newcomers", "20000"),
                    ("action:bystander-training", "1"), ("budget:bystander-training", "26.999,50"),
                ])
                #expect(sent.status == .seeOther)
                let requestPath = try #require(sent.location)
                let request = try #require(try await UptakeRequest.query(on: app.db).first())
                #expect(request.$coordinator.id == w.orgC)
                let items = try await UptakeRequestItem.query(on: app.db).sort(\.$actionID).all()
                #expect(items.map(\.actionID) == ["buddies-for-newcomers", "bystander-training", "guidance-to-work"])
                #expect(items.map(\.budget) == [20000, 26999.5, 170950])

                // The coordinator decides per action; asking for a change needs a comment.
                let rid = try request.requireID()
                let decisionPage = try await coordinator.get(requestPath)
                #expect(decisionPage.text.contains("Decision on"))
                #expect(decisionPage.text.contains("Cap € 27,000 (300 × € 90)"), "the cap stands beside the amount")
                for action in ["guidance-to-work", "buddies-for-newcomers"] {
                    let r = try await coordinator.post("/plans/requests/\(rid)/decide", [("action_id", action), ("decision:\(action)", "approve")])
                    #expect(r.status == .seeOther)
                }
                let noComment = try await coordinator.post("/plans/requests/\(rid)/decide",
                                                           [("action_id", "bystander-training"), ("decision:bystander-training", "request_changes")])
                #expect(noComment.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("comment-bystander-training", in: noComment.text)?.contains("Say why") == true)
                _ = try await coordinator.post("/plans/requests/\(rid)/decide", [("action_id", "bystander-training"),
                    ("decision:bystander-training", "request_changes"), ("comment:bystander-training", "Split professionals and citizens.")])
                var stored = try #require(try await UptakeRequest.find(rid, on: app.db))
                #expect(stored.status == "changes_requested")
                // The municipality answers; the action waits for a decision again.
                let revised = try await editor.post("/plans/requests/\(rid)/revise", [("action_id", "bystander-training"),
                    ("budget:bystander-training", "25000"), ("reply:bystander-training", "150 professionals and 150 citizens.")])
                #expect(revised.status == .seeOther)
                stored = try #require(try await UptakeRequest.find(rid, on: app.db))
                #expect(stored.status == "submitted")
                let page = try await editor.get(requestPath)
                #expect(page.text.contains("asked for a change"))
                #expect(page.text.contains("Split professionals and citizens."))
                #expect(page.text.contains("150 professionals and 150 citizens."))
                #expect(try await UptakeEvent.query(on: app.db).filter(\.$request.$id == rid).count() == 5)

                // The two approved actions are in the plan, with the catalogue's indicators.
                let actions = try await PlanAction.query(on: app.db).filter(\.$organisation.$id == w.orgA).sort(\.$id).all()
                #expect(actions.compactMap(\.catalogueActionID) == ["guidance-to-work", "buddies-for-newcomers"])
                #expect(actions.first?.budget == 170950)
                let plan = try await editor.get("/directory/\(w.orgA)/plan")
                #expect(plan.text.contains("Guide newcomers") || plan.text.contains("guid"))
                let action = try #require(actions.first)
                let aid = try action.requireID()
                let indicators = try await PlanIndicator.query(on: app.db).filter(\.$action.$id == aid).sort(\.$id).all()
                #expect(indicators.count == 3)
                let indicator = try #require(indicators.first)
                let iid = try indicator.requireID()
                #expect(indicator.target == 150)

                // Two partners join; each reports for its own organisation, side by side with the municipality.
                #expect(try await editor.post("/plan-actions/\(aid)/partners", [("partner", "Gent")]).status == .seeOther)
                #expect(try await editor.post("/plan-actions/\(aid)/partners", [("partner", "Association of Flemish Municipalities")]).status == .seeOther)
                let unknown = try await editor.post("/plan-actions/\(aid)/partners", [("partner", "Nowhere Town")])
                #expect(unknown.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("partner", in: unknown.text)?.contains("Nowhere Town") == true)
                func report(_ b: Browser, _ reporter: Int, _ day: String, _ value: String) async throws -> TestingHTTPResponse {
                    try await b.post("/plan-indicators/\(iid)/values", [("value\(iid)_reporter", String(reporter)), ("value\(iid)_day", day), ("value\(iid)_value", value)])
                }
                #expect(try await report(editor, w.orgA, "2026-03-31", "40 persons").status == .seeOther)
                #expect(try await report(editor, w.orgA, "2026-06-30", "65").status == .seeOther)
                let gent = try await Browser.signedIn(app, as: .adminB)
                #expect(try await report(gent, w.orgB, "2026-06-30", "18").status == .seeOther)
                // Gent cannot report in the municipality's name.
                let impersonating = try await report(gent, w.orgA, "2026-06-30", "500")
                #expect(impersonating.status == .unprocessableEntity)
                #expect(try await report(coordinator, w.orgC, "2026-09-30", "7").status == .seeOther)
                let shown = try await editor.get("/plan-actions/\(aid)")
                #expect(shown.text.contains("90 of target 150 (60 % of the way from the baseline)"))
                for name in ["Mechelen", "Gent", "Association of Flemish Municipalities"] { #expect(shown.text.contains("<th scope=\"col\">\(name)</th>")) }
                let values = try await IndicatorValueRow.query(on: app.db).filter(\.$indicator.$id == iid).all()
                #expect(values.count == 4)
                #expect(Set(values.map(\.$reporter.id)) == [w.orgA, w.orgB, w.orgC])
                #expect(try await editor.post("/plan-actions/\(aid)/updates", [("update_day", "2026-10-01"), ("update_status", "running"),
                                                                                ("update_text", "Guides recruited; first cohort started.")]).status == .seeOther)

                // The yearly report: charts as accessible SVG, with the figures in a table too.
                let yearly = try await editor.get("/directory/\(w.orgA)/plan/report?year=2026")
                #expect(yearly.status == .ok)
                #expect(yearly.text.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-labelledby=\"chart-\(iid)-title chart-\(iid)-desc\""))
                #expect(yearly.text.contains("Guides recruited; first cohort started."))
                #expect(yearly.text.contains("<td>90</td>"))
                let csv = try await editor.get("/directory/\(w.orgA)/plan/export")
                #expect(csv.headers.contentType?.subType == "csv")
                #expect(csv.text.contains(",Gent,2026-06-30,18,"))

                // The coordinator's view: uptake, actions without a mentor, and the CSV.
                let overview = try await coordinator.get("/plans/catalogues/\(cid)/overview")
                #expect(overview.status == .ok)
                #expect(overview.text.contains("2 actions taken up (approved)"))
                #expect(overview.text.contains("17 actions without a mentor municipality"))
                let uptake = try await coordinator.get("/plans/catalogues/\(cid)/overview/export?section=uptake")
                #expect(uptake.text.contains("guidance-to-work,"))
                let line = uptake.text.split(separator: "\n").first { $0.hasPrefix("guidance-to-work,") }
                #expect(line?.hasSuffix(",1,0,0,0,Mechelen") == true, "\(line ?? "")")
                let bystander = uptake.text.split(separator: "\n").first { $0.hasPrefix("bystander-training,") }
                #expect(bystander?.hasSuffix(",0,1,0,0,Gent") == true, "\(bystander ?? "")")
                let mentors = try await coordinator.get("/plans/catalogues/\(cid)/overview/export?section=mentors")
                #expect(mentors.text.split(separator: "\n").count == 18)
                #expect(try await coordinator.get("/plans/catalogues/\(cid)/overview/export?section=nonsense").status == .badRequest)
            }
        }

        @Test func badInputIsExplainedBesideItsFieldAndNothingIsStored() async throws {
            try await withTestApp { app in
                let w = app.world
                let editor = try await Browser.signedIn(app, as: .editorA)
                let catalogue = try await app.makeCatalogue()
                let cid = try catalogue.requireID()

                // A budget that is not a number and no motivation: both named, what was typed kept, nothing stored.
                let bad = try await editor.post("/plans/catalogues/\(cid)/request", [("organisation", String(w.orgA)),
                    ("action:guidance-to-work", "1"), ("budget:guidance-to-work", "lots")])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("budget-guidance-to-work", in: bad.text)?.contains("“lots” is not an amount") == true)
                #expect(HTMLText.fieldError("motivation", in: bad.text) == "Write a short motivation.")
                #expect(HTMLText.fieldValue("budget-guidance-to-work", in: bad.text) == "lots")
                #expect(bad.text.contains("name=\"action:guidance-to-work\" value=\"1\" checked"))
                #expect(try await UptakeRequest.query(on: app.db).count() == 0)

                // A withdrawn catalogue version takes no request.
                let withdrawn = try await app.makeCatalogue(status: .withdrawn)
                let refused = try await editor.post("/plans/catalogues/\(try withdrawn.requireID())/request", [("organisation", String(w.orgA)),
                    ("action:guidance-to-work", "1"), ("budget:guidance-to-work", "100"), ("motivation", "Please")])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.text.contains("This catalogue version is withdrawn"))
                #expect(try await UptakeRequest.query(on: app.db).count() == 0)

                // Dates that end before they start, a budget that is not a number.
                let action = try await editor.post("/directory/\(w.orgA)/plan/actions/new", [("title", "Language cafés"),
                    ("start", "2026-05-01"), ("end", "2026-01-31"), ("budget", "a lot"), ("status", "planned")])
                #expect(action.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("end", in: action.text) == "The end comes before the start (2026-05-01).")
                #expect(HTMLText.fieldError("budget", in: action.text)?.contains("“a lot” is not an amount") == true)
                #expect(HTMLText.fieldValue("title", in: action.text) == "Language cafés")
                #expect(try await PlanAction.query(on: app.db).count() == 0)

                // Values in the wrong unit, outside the range, not whole, in the future.
                let a = try await app.makePlanAction()
                let iid = try await app.firstIndicator(of: a).requireID()
                for (value, day, field, message) in [("12 %", "2026-01-10", "value", "“%” is not this indicator's unit"),
                                                     ("-3", "2026-01-10", "value", "below the smallest allowed value"),
                                                     ("12,5", "2026-01-10", "value", "12.5 is not a whole number"),
                                                     ("12", "2999-01-01", "day", "The date is in the future.")] {
                    let r = try await editor.post("/plan-indicators/\(iid)/values", [("value\(iid)_reporter", String(w.orgA)),
                                                                                      ("value\(iid)_day", day), ("value\(iid)_value", value)])
                    #expect(r.status == .unprocessableEntity, "\(value)")
                    #expect(HTMLText.fieldError("value\(iid)_\(field)", in: r.text)?.contains(message) == true, "\(value): \(HTMLText.fieldError("value\(iid)_\(field)", in: r.text) ?? "no error")")
                }
                #expect(try await IndicatorValueRow.query(on: app.db).count() == 0)
                // A target on the wrong side of the baseline.
                let ind = try await editor.post("/plan-actions/\(try a.requireID())/indicators", [("name", "Waiting time"), ("unit", "day"),
                    ("scale", "count"), ("direction", "decrease"), ("baseline", "30"), ("target", "45")])
                #expect(ind.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("target", in: ind.text) == "Where lower is better, the target must be below the baseline.")
            }
        }

        /// A municipality sees only its own requests and unpublished plan; a coordinator only the requests made to its catalogue.
        @Test func eachSeesOnlyTheirOwn() async throws {
            try await withTestApp { app in
                let w = app.world
                let request = try await app.makeRequest()
                let rid = try request.requireID()
                let action = try await app.makePlanAction()
                let gent = try await Browser.signedIn(app, as: .adminB)
                #expect(try await gent.get("/plans/requests/\(rid)").status == .forbidden)
                #expect(try await gent.get("/directory/\(w.orgA)/plan").status == .forbidden)
                #expect(try await gent.get("/plan-actions/\(try action.requireID())").status == .forbidden)
                #expect(try await gent.get("/directory/\(w.orgA)/plan/report?year=2026").status == .forbidden)
                #expect(!(try await gent.get("/plans").text.contains("Request \(rid)")))

                // Another association does not see the requests made to C's catalogue.
                let other = Organisation(kind: .association, name: "Another Association", country: "BE")
                try await other.create(on: app.db)
                try await app.makeUser(email: "other.coordinator@example.org", in: try other.requireID(), role: .admin)
                let b = Browser(app)
                #expect(try await b.signIn(email: "other.coordinator@example.org").status == .seeOther)
                #expect(try await b.get("/plans/requests/\(rid)").status == .forbidden)
                #expect(try await b.get("/plans/catalogues/\(request.$catalogue.id)/overview").status == .forbidden)
                #expect(try await b.post("/plans/requests/\(rid)/decide", [("action_id", "guidance-to-work"), ("decision:guidance-to-work", "approve")]).status == .forbidden)
                #expect(try await UptakeRequestItem.query(on: app.db).filter(\.$status == "approved").count() == 0)

                // Once the municipality publishes its plan, everyone reads it.
                let editor = try await Browser.signedIn(app, as: .editorA)
                #expect(try await editor.post("/directory/\(w.orgA)/plan/publish", [("publish", "1")]).status == .seeOther)
                #expect(try await Browser(app).get("/directory/\(w.orgA)/plan").status == .ok)
                #expect(try await gent.get("/plan-actions/\(try action.requireID())").status == .ok)
                // Reading is not changing.
                #expect(try await gent.post("/plan-actions/\(try action.requireID())/updates", [("update_day", "2026-01-01"), ("update_status", "done"),
                                                                                                 ("update_text", "Taken over")]).status == .forbidden)
            }
        }

        /// Mistakes can be taken back: a partner its own values only, the municipality any value and its partners.
        @Test func valuesAndPartnersCanBeTakenBack() async throws {
            try await withTestApp { app in
                let w = app.world
                let gentValue = try await app.makeValue(reporter: w.orgB)
                let mechelenValue = try await app.makeValue(reporter: w.orgA)
                let gent = try await Browser.signedIn(app, as: .adminB)
                #expect(try await gent.post("/indicator-values/\(mechelenValue)/remove").status == .forbidden)
                #expect(try await IndicatorValueRow.find(mechelenValue, on: app.db) != nil)
                let removed = try await gent.post("/indicator-values/\(gentValue)/remove")
                #expect(removed.status == .seeOther)
                #expect(try await IndicatorValueRow.find(gentValue, on: app.db) == nil)

                let a = try await app.makePlanAction(partners: [w.orgB])
                let editor = try await Browser.signedIn(app, as: .editorA)
                let page = try await editor.get("/plan-actions/\(try a.requireID())")
                #expect(page.text.contains("Remove Gent as partner"))
                #expect(try await editor.post("/plan-actions/\(try a.requireID())/partners/\(w.orgB)/remove").status == .seeOther)
                #expect(try await PlanActionPartner.query(on: app.db).filter(\.$action.$id == a.requireID()).count() == 0)
                #expect(try await editor.post("/plan-actions/\(try a.requireID())/partners/\(w.orgB)/remove").status == .notFound)
                // No longer a partner: Gent no longer reads the unpublished action.
                #expect(try await gent.get("/plan-actions/\(try a.requireID())").status == .forbidden)
            }
        }

        @Test func pagesSpeakDutch() async throws {
            try await withTestApp { app in
                let catalogue = try await app.makeCatalogue()
                let nl = Browser(app, acceptLanguage: "nl")
                let page = try await nl.get("/plans/catalogues/\(try catalogue.requireID())")
                #expect(page.text.contains("Plan Samenleven"))
                #expect(page.text.contains("Mentorbesturen"))
                #expect(try await nl.get("/plans").text.contains("Plannen en actieplannen"))
                // A catalogue action in the plan reads in Dutch too, until the municipality renames it.
                let request = try await app.makeRequest(catalogue: catalogue)
                try await app.decideRequest(request, action: "guidance-to-work", .approve)
                try await PlanUseCases.setPublished(try await PlanUseCases.plan(of: app.world.orgA, on: app.db), true, on: app.db)
                let plan = try await nl.get("/directory/\(app.world.orgA)/plan")
                #expect(plan.text.contains("Begeleiding naar werk voor nieuwkomers, personen met een handicap en 55-plussers"))
                #expect(try await Browser(app).get("/directory/\(app.world.orgA)/plan").text.contains("Guidance to work for newcomers"))
            }
        }
    }
}
