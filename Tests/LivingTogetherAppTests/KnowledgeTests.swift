import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// The knowledge library: search with filters, a record's page with its schema.org description, open data.
    @Suite struct Knowledge {
        @Test func searchFindsRecordsInBothLanguagesWithFilters() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                let browser = Browser(app)
                let all = try await browser.get("/knowledge")
                #expect(all.status == .ok)
                let total = try await PracticeRow.query(on: app.db).count()
                #expect(total >= 20 && all.text.contains("\(total) records found."))
                let found = try await browser.get("/knowledge?q=nederlands")
                #expect(found.text.contains("href=\"/knowledge/hallo-nederlands\""))
                // Accents and case are ignored; several words must all match.
                let folded = try await browser.get("/knowledge?q=HALLO%20nederl")
                #expect(folded.text.contains("1 record found.") && folded.text.contains("/knowledge/hallo-nederlands"))
                let tools = try await browser.get("/knowledge?kind=tool")
                let toolCount = try await PracticeRow.query(on: app.db).filter(\.$kind == "tool").count()
                #expect(toolCount >= 2 && tools.text.contains("\(toolCount) records found."))
                let none = try await browser.get("/knowledge?q=zzzzqqq")
                #expect(none.text.contains("No record matches this search."))
                // Odd input is no error.
                #expect(try await browser.get("/knowledge?page=99999999999&per_page=-4&band=huge").status == .ok)
                browser.acceptLanguage = "nl"
                let dutch = try await browser.get("/knowledge?q=nederlands")
                #expect(dutch.text.contains("Kennisbibliotheek") && dutch.text.contains("/knowledge/hallo-nederlands"))
            }
        }

        @Test func aRecordHasAStableAddressAndASchemaOrgDescription() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                let page = try await Browser(app).get("/knowledge/hallo-nederlands")
                #expect(page.status == .ok)
                #expect(page.text.contains("<h2>How it works</h2>") && page.text.contains("Halle"))
                #expect(page.text.contains("Not yet verified on the platform."), "shipped records are marked until verified")
                let ld = try #require(HTMLText.first(#"<script type="application/ld\+json">(.*?)</script>"#, in: page.text))
                let object = try #require(try JSONSerialization.jsonObject(with: Data(ld.utf8)) as? [String: Any])
                #expect(object["@context"] as? String == "https://schema.org")
                #expect((object["url"] as? String)?.hasSuffix("/knowledge/hallo-nederlands") == true)
                #expect(try await Browser(app).get("/knowledge/no-such-record").status == .notFound)
                let dutch = try await Browser(app, acceptLanguage: "nl").get("/knowledge/hallo-nederlands")
                #expect(dutch.text.contains("<h2>Hoe het werkt</h2>"))
            }
        }

        @Test func theLibraryDownloadsAsJSONAndCSVAndThroughTheAPI() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                let total = try await PracticeRow.query(on: app.db).count()
                let json = try await app.testing().sendRequest(.GET, "/knowledge/library.json")
                let library = try #require(try JSONSerialization.jsonObject(with: Data(json.body.string.utf8)) as? [String: Any])
                #expect(library["licence"] as? String == "CC BY 4.0")
                #expect((library["records"] as? [Any])?.count == total)
                let csv = try await app.testing().sendRequest(.GET, "/knowledge/library.csv")
                #expect(csv.headers.contentType?.subType == "csv")
                #expect(CSV.lines(csv.body.string).filter { !$0.isEmpty }.count == total + 1)
                let api = try await app.testing().sendRequest(.GET, "/api/v1/practices?q=buddy&per_page=5")
                let page = try #require(try JSONSerialization.jsonObject(with: Data(api.body.string.utf8)) as? [String: Any])
                #expect((page["total"] as? Int ?? 0) >= 1 && page["per_page"] as? Int == 5)
                let one = try await app.testing().sendRequest(.GET, "/api/v1/practices/hallo-nederlands")
                #expect(one.status == .ok && one.body.string.contains("\"howItWorks\""))
                #expect(try await app.testing().sendRequest(.GET, "/api/v1/practices/nothing").status == .notFound)
            }
        }

        /// The thread: a report's gaps list the library's practices on that key factor; a catalogue action lists its own.
        @Test func gapsAndCatalogueActionsLeadToTheirPractices() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                let framework = try #require(try await app.benchmarks.latest(key: "city-for-all", on: app.db)).framework
                let rows = try await PracticeRow.query(on: app.db).all()
                let practices = try rows.map { ($0.slug, try $0.practice()) }
                let onGaps = practices.filter { p in framework.keyFactors.contains { p.1.keyFactors.contains($0.id) } }.map(\.0)
                #expect(!onGaps.isEmpty)
                let a = try await app.makeAssessment(organisation: app.world.orgA, levels: framework.keyFactors.map { _ in 1 })
                let editor = try await Browser.signedIn(app, as: .editorA)
                let report = try await editor.get("/assessments/\(try a.requireID())/report")
                #expect(report.status == .ok)
                #expect(report.text.contains("Practices in the library"))
                #expect(onGaps.contains { report.text.contains("href=\"/knowledge/\($0)\"") }, "a tagged practice is linked")
                let catalogue = try await app.makeCatalogue()
                let (actionSlug, _) = try #require(practices.first { !$0.1.catalogueActions.isEmpty })
                let page = try await editor.get("/plans/catalogues/\(try catalogue.requireID())")
                #expect(page.text.contains("href=\"/knowledge/\(actionSlug)\""))
            }
        }

        /// A member writes a record, the library editor reviews it (sending it back needs a comment), publishes it; the
        /// author adds the other language; the yearly question records an end.
        @Test func aMemberWritesARecordAndTheLibraryEditorReviewsIt() async throws {
            try await withTestApp { app in
                let editor = try await Browser.signedIn(app, as: .editorA)
                var form = AppTests.AuthorizationWalk.practiceForm(owner: app.world.orgA)
                form.removeAll { ["title", "start"].contains($0.0) }
                let bad = try await editor.post("/knowledge/new", form + [("title", ""), ("start", "soon"),
                                                                           ("summary", String(repeating: "s", count: 301))])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("title", in: bad.text) == "This text is needed.")
                #expect(HTMLText.fieldError("start", in: bad.text) == "“soon” is not a year such as 2021.")
                #expect(HTMLText.fieldError("summary", in: bad.text)?.contains("300") == true)
                #expect(bad.text.contains("Volunteers lead a walk each week."), "what was typed is kept")
                #expect(try await PracticeRow.query(on: app.db).count() == 0)
                let made = try await editor.post("/knowledge/new", form + [("title", "Language walks"), ("start", "2023")])
                #expect(made.status == .seeOther && made.location == "/knowledge/language-walks")
                let row = try #require(try await PracticeRow.query(on: app.db).filter(\.$slug == "language-walks").first())
                #expect(row.practiceStatus == .draft && row.$owner.id == app.world.orgA)
                #expect(try await Browser(app).get("/knowledge/language-walks").status != .ok, "a draft is not public")
                #expect(!(try await Browser(app).get("/knowledge?q=walks")).text.contains("language-walks"))
                #expect(try await editor.post("/knowledge/language-walks/status", [("to", "published")]).status == .forbidden,
                        "an author does not publish")
                #expect(try await editor.post("/knowledge/language-walks/status", [("to", "in-review")]).status == .seeOther)
                let coordinator = try await Browser.signedIn(app, as: .coordinator)
                #expect((try await coordinator.get("/knowledge/review")).text.contains("/knowledge/language-walks"))
                let noComment = try await coordinator.post("/knowledge/language-walks/status", [("to", "draft"), ("comment", "")])
                #expect(noComment.status == .unprocessableEntity && HTMLText.fieldError("comment", in: noComment.text) != nil)
                #expect(try await coordinator.post("/knowledge/language-walks/status",
                                                   [("to", "draft"), ("comment", "Add the results, please.")]).status == .seeOther)
                let page = try await editor.get("/knowledge/language-walks")
                #expect(page.text.contains("Add the results, please."), "the author sees the comment")
                #expect(try await editor.post("/knowledge/language-walks/status", [("to", "in-review")]).status == .seeOther)
                #expect(try await coordinator.post("/knowledge/language-walks/status", [("to", "published")]).status == .seeOther)
                let published = try #require(try await PracticeRow.query(on: app.db).filter(\.$slug == "language-walks").first())
                #expect(published.practiceStatus == .published && published.lastVerified == Day.today.description)
                #expect((try await Browser(app).get("/knowledge?q=walks")).text.contains("/knowledge/language-walks"))
                // The other language, written by a person; the English text stays.
                var dutch = form.filter { !["written_in", "owner", "summary", "issue", "how_it_works"].contains($0.0) }
                dutch += [("written_in", "nl"), ("title", "Taalwandelingen"), ("summary", "Nieuwkomers en buren wandelen en praten."),
                          ("issue", "Weinig kansen om Nederlands te spreken."), ("how_it_works", "Vrijwilligers leiden elke week een wandeling."),
                          ("start", "2023")]
                #expect(try await coordinator.post("/knowledge/language-walks/edit", dutch).status == .seeOther)
                let both = try #require(try await PracticeRow.query(on: app.db).filter(\.$slug == "language-walks").first()).practice()
                #expect(both.title.values == ["en": "Language walks", "nl": "Taalwandelingen"])
                #expect(both.translations == ["en": .human, "nl": .human])
                #expect(try await editor.post("/knowledge/language-walks/verify", [("still_running", "no")]).status == .seeOther)
                let ended = try #require(try await PracticeRow.query(on: app.db).filter(\.$slug == "language-walks").first()).practice()
                #expect(ended.stillRunning == false && ended.end == String(Day.today.year))
                #expect(try await editor.post("/knowledge/language-walks/verify", [("still_running", "maybe")]).status == .badRequest)
            }
        }

        /// "Plan an action from this practice" makes a plan action that keeps its origin; a municipality tells how it
        /// took the practice over, and the story shows on the practice.
        @Test func aPracticeIsPlannedAndItsTransferToldOnItsPage() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                let editor = try await Browser.signedIn(app, as: .editorA)
                let page = try await editor.get("/knowledge/hallo-nederlands")
                let planLink = "/directory/\(app.world.orgA)/plan/actions/new?practice=hallo-nederlands"
                #expect(page.text.contains("href=\"\(planLink)\""))
                let form = try await editor.get(planLink)
                #expect(form.text.contains("Planned from the library:") && form.text.contains("name=\"practice\" value=\"hallo-nederlands\""))
                let title = try #require(HTMLText.fieldValue("title", in: form.text))
                #expect(title.hasPrefix("Hallo Nederlands"))
                let fields: [(String, String)] = [("practice", "hallo-nederlands"), ("title", title), ("goals", "Practise Dutch."),
                                                  ("start", "2026-01-01"), ("end", "2026-12-31"), ("status", "planned")]
                let made = try await editor.post("/directory/\(app.world.orgA)/plan/actions/new", fields)
                #expect(made.status == .seeOther)
                let action = try #require(try await PlanAction.query(on: app.db).filter(\.$practiceSlug == "hallo-nederlands").first())
                #expect(action.$organisation.id == app.world.orgA)
                #expect((try await editor.get(SiteURL.planAction(action.id).path)).text.contains("href=\"/knowledge/hallo-nederlands\""))
                let forged = try await editor.post("/directory/\(app.world.orgA)/plan/actions/new",
                                                   fields.filter { $0.0 != "practice" } + [("practice", "no-such-record")])
                #expect(forged.status == .badRequest)
                // The transfer story.
                let empty = try await editor.post("/knowledge/hallo-nederlands/transfers",
                                                  [("organisation", String(app.world.orgA)), ("adapted", ""), ("result", "More talk.")])
                #expect(empty.status == .unprocessableEntity && HTMLText.fieldError("adapted", in: empty.text) == "This text is needed.")
                #expect(empty.text.contains("More talk."), "what was typed is kept")
                let told = try await editor.post("/knowledge/hallo-nederlands/transfers",
                                                 [("organisation", String(app.world.orgA)), ("adapted", "Walks on Saturdays."),
                                                  ("result", "Thirty people a month.")])
                #expect(told.status == .seeOther)
                let shown = try await Browser(app).get("/knowledge/hallo-nederlands")
                #expect(shown.text.contains("Walks on Saturdays.") && shown.text.contains("Mechelen"))
                let other = try await editor.post("/knowledge/hallo-nederlands/transfers",
                                                  [("organisation", String(app.world.orgB)), ("adapted", "x"), ("result", "y")])
                #expect(other.status == .forbidden, "only for one's own municipality")
            }
        }

        @Test func aReviewerCommentsWithoutMovingTheRecord() async throws {
            try await withTestApp { app in
                let row = try await app.makePractice(owner: app.world.orgA, status: .inReview)
                let coordinator = try await Browser.signedIn(app, as: .coordinator)
                let page = try await coordinator.get("/knowledge/\(row.slug)")
                #expect(page.text.contains("formaction=\"/knowledge/\(row.slug)/comments\""))
                let empty = try await coordinator.post("/knowledge/\(row.slug)/comments", [("comment", "  ")])
                #expect(empty.status == .unprocessableEntity && HTMLText.fieldError("comment", in: empty.text) == "This text is needed.")
                let said = try await coordinator.post("/knowledge/\(row.slug)/comments", [("comment", "Which year did it start?")])
                #expect(said.status == .seeOther)
                let stored = try await PracticeRow.find(row.id, on: app.db)
                #expect(stored?.practiceStatus == .inReview, "a comment does not move the record")
                let author = try await Browser.signedIn(app, as: .editorA).get("/knowledge/\(row.slug)")
                #expect(author.text.contains("Which year did it start?"), "the author reads it in the history")
                #expect(try await Browser.signedIn(app, as: .adminB).post("/knowledge/\(row.slug)/comments", [("comment", "x")]).status == .forbidden)
            }
        }

        @Test func theAPIWritesAndReviewsRecords() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                let editor = APIClient(app: app, token: try await Browser.signedIn(app, as: .editorA).createAPIToken())
                var body = AppTests.AuthorizationWalk.apiPractice(owner: app.world.orgA)
                body["title"] = ""
                body["start"] = "soon"
                let refused = try await editor.send(.POST, "/api/v1/practices", json: body)
                #expect(refused.status == .unprocessableEntity)
                let fields = try #require((refused.json?["error"] as? [String: Any])?["fields"] as? [String: String])
                #expect(fields["title"] != nil && fields["start"] != nil)
                #expect(try await editor.send(.POST, "/api/v1/practices", json: ["owner": app.world.orgA, "size_bands": "m"]).status == .badRequest)
                body["title"] = "Language walks by the river"
                body["start"] = 2023
                let made = try await editor.send(.POST, "/api/v1/practices", json: body)
                #expect(made.status == .created && (made.json?["status"] as? String) == "draft")
                let slug = try #require(made.json?["id"] as? String)
                let record = try #require(made.json?["record"] as? [String: Any])
                #expect(record["sizeBands"] as? [String] == ["m"] && record["start"] as? String == "2023")
                #expect(try await editor.send(.POST, "/api/v1/practices/\(slug)/status", json: ["to": "in-review"]).status == .ok)
                let coordinator = APIClient(app: app, token: try await Browser.signedIn(app, as: .coordinator).createAPIToken())
                #expect(try await coordinator.send(.POST, "/api/v1/practices/\(slug)/comments", json: ["comment": "Add a result."]).status == .created)
                let back = try await coordinator.send(.POST, "/api/v1/practices/\(slug)/status", json: ["to": "draft"])
                #expect(back.status == .unprocessableEntity, "sending back needs a comment")
                #expect(try await coordinator.send(.POST, "/api/v1/practices/\(slug)/status", json: ["to": "published"]).status == .ok)
                #expect(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/practices/\(slug)").status == .ok)
                let verified = try await editor.send(.POST, "/api/v1/practices/\(slug)/verify", json: ["still_running": false])
                #expect(verified.status == .ok && ((verified.json?["record"] as? [String: Any])?["stillRunning"] as? Bool) == false)
                let story = try await editor.send(.POST, "/api/v1/practices/\(slug)/transfers",
                                                  json: ["organisation": app.world.orgA, "adapted": "", "result": "More walks."])
                #expect(story.status == .unprocessableEntity)
                #expect(try await PracticeReview.query(on: app.db).filter(\.$comment == "Add a result.").count() == 1)
            }
        }

        @Test func theYearlyStillRunningQuestionIsAMessageOnceAYear() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                let row = try await app.makePractice(owner: app.world.orgA, status: .published)
                let today = Day.today
                row.lastVerified = today.adding(months: -13).description
                try await row.save(on: app.db)
                let fresh = try await app.makePractice(owner: app.world.orgA, status: .published, title: "Fresh walks")
                let asked = try await KnowledgeReminders.send(on: app.db, publicURL: "https://lt.example", logger: app.logger, today: today)
                #expect(asked == 1, "the shipped records (no owner) and the fresh one are not asked about")
                let mail = try await OutboxMessage.query(on: app.db).filter(\.$subject == "Is it still running? Language walks").all()
                let recipients = Set(mail.map(\.recipient))
                #expect(recipients == [app.world.email(.editorA), app.world.email(.adminA)], "its organisation's editors and administrators")
                #expect(mail.first?.body.contains("https://lt.example/knowledge/\(row.slug)") == true)
                #expect(try await KnowledgeReminders.send(on: app.db, publicURL: "", logger: app.logger, today: today) == 0, "once")
                #expect(try await KnowledgeReminders.send(on: app.db, publicURL: "", logger: app.logger, today: today.adding(months: 6)) == 0)
                #expect(try await KnowledgeReminders.send(on: app.db, publicURL: "", logger: app.logger, today: today.adding(months: 12)) == 1,
                        "a year later, still unanswered, it is asked again")
                _ = fresh
                #expect(KnowledgeReminders.isDue(lastVerified: today, remindedOn: today.adding(months: -1), today: today.adding(months: 13)),
                        "confirmed after the last question: asked again when stale again")
            }
        }
    }
}
