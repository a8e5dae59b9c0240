import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// The benchmarks module through its pages and its API.
    @Suite struct Benchmarks {
        static let theme = "city-for-all"

        func keyFactors(_ app: Application) async throws -> [String] {
            try #require(try await app.benchmarks.latest(key: Self.theme, on: app.db)).framework.keyFactors.map(\.id)
        }

        @Test func theShippedFrameworksAreServedAsOpenContent() async throws {
            try await withTestApp { app in
                let b = Browser(app)
                let index = try await b.get("/benchmarks")
                #expect(index.status == .ok)
                for title in ["Building a &#39;city for all&#39;", "Labour market integration", "Supporting language learning", "Gender-sensitive integration"] {
                    #expect(index.text.contains(title) || HTMLText.plainText(index.text).contains(HTMLText.unescape(title)), "\(title)")
                }
                let page = try await b.get("/benchmarks/city-for-all")
                #expect(page.status == .ok)
                #expect(page.text.contains("Guiding questions"))
                #expect(page.text.contains("Welcome in Mechelen"))
                let download = try await b.get("/benchmarks/city-for-all/download")
                #expect(download.headers.contentType == .json)
                let json = try #require(download.json)
                #expect(json["licence"] as? String == "CC BY 4.0")
                #expect((json["keyFactors"] as? [Any])?.count == 5)
                let dutch = Browser(app, acceptLanguage: "nl")
                #expect(try await dutch.get("/benchmarks/city-for-all").text.contains("Richtvragen"))
            }
        }

        /// Start, answer, save, submit, report, publish: the editor's whole path through the pages.
        @Test func anEditorCompletesAnAssessmentInTheBrowser() async throws {
            try await withTestApp { app in
                let w = app.world
                let kfs = try await keyFactors(app)
                let editor = try await Browser.signedIn(app, as: .editorA)
                // Bad year: the error beside the field, nothing stored.
                let bad = try await editor.post("/assessments", [("organisation", String(w.orgA)), ("framework", Self.theme), ("year", "1850")])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("year", in: bad.text)?.contains("from 2000") == true)
                #expect(try await Assessment.query(on: app.db).count() == 0)

                let started = try await editor.post("/assessments", [("organisation", String(w.orgA)), ("framework", Self.theme), ("year", "2026")])
                #expect(started.status == .seeOther)
                let path = try #require(started.location)
                let form = try await editor.get(path)
                #expect(form.status == .ok)
                #expect(form.text.contains("name=\"level:\(kfs[0])\""))
                #expect(HTMLText.hiddenValue(named: "revision", in: form.text) == "1")

                // A partial save, then a submission that names what is missing.
                var fields: [(String, String)] = [("revision", "1"), ("action", "save"), ("level:\(kfs[0])", "2"),
                                                  ("answer:\(kfs[0])/interpreters", "Only for asylum seekers"),
                                                  ("evidence:\(kfs[0]):policy", "partially"), ("evidence_text:\(kfs[0])", "Council decision 2024/17")]
                let saved = try await editor.post(path, fields)
                #expect(saved.status == .seeOther)
                var a = try #require(try await Assessment.query(on: app.db).first())
                #expect(a.revision == 2)
                #expect(try a.decodedContent().ratings[kfs[0]]?.level == 2)
                #expect(try a.decodedContent().ratings[kfs[0]]?.evidence[.policy] == EvidenceGrade.partial)

                fields[0] = ("revision", "2")
                fields[1] = ("action", "submit")
                let incomplete = try await editor.post(path, fields)
                #expect(incomplete.status == .unprocessableEntity)
                #expect(incomplete.text.contains("Submitting needs a rating for every key factor"))
                #expect(incomplete.text.contains("id=\"f-level-\(kfs[1])-error\""))
                a = try #require(try await Assessment.find(a.id, on: app.db))
                #expect(a.status == Assessment.draft)

                // Out of scale: refused beside the field, what was typed kept.
                var full = fields
                for (i, k) in kfs.enumerated().dropFirst() { full.append(("level:\(k)", String([1, 4, 5, 3][(i - 1) % 4]))) }
                full.append(("level:\(kfs[1])", "9"))
                full = full.filter { !($0.0 == "level:\(kfs[1])" && $0.1 != "9") }
                let outside = try await editor.post(path, full)
                #expect(outside.status == .unprocessableEntity)
                #expect(outside.text.contains("Level 9 is outside the scale 1 to 5."))
                #expect(outside.text.contains("Council decision 2024/17"))

                full = full.map { $0.0 == "level:\(kfs[1])" ? ($0.0, "1") : $0 }
                let submitted = try await editor.post(path, full)
                #expect(submitted.status == .seeOther)
                #expect(submitted.location == "\(path)/report")
                a = try #require(try await Assessment.find(a.id, on: app.db))
                #expect(a.status == Assessment.submitted)

                let report = try await editor.get("\(path)/report")
                #expect(report.status == .ok)
                #expect(report.text.contains("<svg"))
                #expect(report.text.contains("role=\"img\""))
                #expect(report.text.contains("<caption>Levels per key factor</caption>"))
                #expect(report.text.contains("Council decision 2024/17"))
                #expect(report.text.contains("Add to our action plan"), "a gap offers the follow-ups")
                #expect(report.text.contains("shown once at least 5"), "fewer than five peers: no average")

                // Submitted means final.
                let late = try await editor.post(path, [("revision", String(a.revision)), ("action", "save"), ("level:\(kfs[0])", "5")])
                #expect(late.status == .conflict)

                // A gap becomes a follow-up.
                let follow = try await editor.post("\(path)/follow-ups", [("key_factor", kfs[1]), ("kind", "mentor")])
                #expect(follow.status == .seeOther)
                #expect(try await FollowUp.query(on: app.db).filter(\.$keyFactorID == kfs[1]).count() == 1)

                // The history says who did what.
                let history = try await editor.get("\(path)/history")
                #expect(history.text.contains("Eddie Editor-A"))
                #expect(history.text.contains("Submitted"))
                // In words: the key factor's title and "level", never the stored key.
                #expect(!history.text.contains("ratings.\(kfs[0]).level"))
                let framework = try #require(try await app.benchmarks.latest(key: Self.theme, on: app.db)).framework
                let title = try #require(framework.keyFactor(kfs[0])).title("en")
                #expect(HTMLText.plainText(history.text).contains("\(title) — level"))
            }
        }

        /// Two colleagues on one draft: the later save, based on an outdated revision, is refused and shows both texts.
        @Test func anOutdatedSaveIsRefusedWithBothTexts() async throws {
            try await withTestApp { app in
                let kfs = try await keyFactors(app)
                let a = try await app.makeAssessment(organisation: app.world.orgA)
                let path = "/assessments/\(a.id!)"
                let first = try await Browser.signedIn(app, as: .editorA)
                let second = try await Browser.signedIn(app, as: .adminA)
                #expect(try await first.post(path, [("revision", "1"), ("action", "save"), ("comments:\(kfs[0])", "Text of the editor")]).status == .seeOther)
                let refused = try await second.post(path, [("revision", "1"), ("action", "save"), ("comments:\(kfs[0])", "Text of the admin")])
                #expect(refused.status == .conflict)
                #expect(refused.text.contains("Eddie Editor-A saved this draft"))
                #expect(refused.text.contains("Text of the admin"), "what the second person typed is kept in the form")
                #expect(refused.text.contains("Text of the editor"), "the saved text is shown beside it")
                #expect(HTMLText.hiddenValue(named: "revision", in: refused.text) == "2")
                let stored = try #require(try await Assessment.find(a.id, on: app.db))
                #expect(try stored.decodedContent().ratings[kfs[0]]?.comments == "Text of the editor")
                // Saving again from the conflict page (now on revision 2) goes through.
                #expect(try await second.post(path, [("revision", "2"), ("action", "save"), ("comments:\(kfs[0])", "Both texts")]).status == .seeOther)
            }
        }

        @Test func draftsAndUnpublishedReportsStayWithinTheMunicipality() async throws {
            try await withTestApp { app in
                let w = app.world
                let draft = try await app.makeAssessment(organisation: w.orgA)
                let done = try await app.makeAssessment(organisation: w.orgA, levels: [1, 2, 3, 4, 5])
                for persona in [Persona.adminB, .nobody] {
                    let other = try await Browser.signedIn(app, as: persona)
                    #expect(try await other.get("/assessments/\(draft.id!)").status == .forbidden)
                    #expect(try await other.get("/assessments/\(done.id!)/report").status == .forbidden)
                    #expect(try await other.get("/directory/\(w.orgA)/assessments/export?format=json").status == .forbidden)
                    let api = APIClient(app: app, token: try await other.createAPIToken())
                    #expect(try await api.send(.GET, "/api/v1/assessments/\(draft.id!)").status == .forbidden)
                    #expect(try await api.send(.GET, "/api/v1/assessments/\(done.id!)/report").status == .forbidden)
                    #expect(try await api.send(.PUT, "/api/v1/assessments/\(draft.id!)", json: ["revision": 1, "content": ["answers": [String: String]()] as [String: any Sendable]]).status == .forbidden)
                }
                let anonymous = Browser(app)
                #expect(try await anonymous.get("/assessments/\(done.id!)/report").location?.hasPrefix("/sign-in") == true)
                // Published: the public address opens for everyone, the draft still does not.
                let editor = try await Browser.signedIn(app, as: .editorA)
                #expect(try await editor.post("/assessments/\(done.id!)/publish", [("publish", "1")]).status == .seeOther)
                let open = try await anonymous.get("/assessments/\(done.id!)/report")
                #expect(open.status == .ok)
                #expect(!open.text.contains("Add to our action plan"), "visitors see no editing buttons")
                #expect(try await anonymous.get("/assessments/\(draft.id!)").location?.hasPrefix("/sign-in") == true)
                #expect(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/assessments/\(done.id!)/report").status == .ok)
            }
        }

        /// Peers: the same country or size band, each municipality's latest submission, shown from five.
        @Test func peerAveragesAppearFromFiveMunicipalities() async throws {
            try await withTestApp { app in
                let w = app.world
                let own = try await app.makeAssessment(organisation: w.orgA, levels: [1, 1, 1, 1, 1], published: true)
                // Four Belgian peers (one with two years: only its latest counts) — not enough yet.
                var peers: [Int] = [w.orgB]
                for i in 0..<3 {
                    let org = Organisation(kind: .municipality, name: "Peer \(i)", country: "BE", population: 30_000)
                    try await org.create(on: app.db)
                    peers.append(org.id!)
                }
                try await app.makeAssessment(organisation: peers[0], year: 2020, levels: [5, 5, 5, 5, 5])
                for p in peers { try await app.makeAssessment(organisation: p, year: 2024, levels: [3, 3, 3, 3, 3]) }
                let api = APIClient(app: app, token: nil)
                var report = try #require(try await api.send(.GET, "/api/v1/assessments/\(own.id!)/report").json)
                #expect(report["peers_shown"] as? Bool == false)
                #expect(report["peers"] as? Int == 0)
                // A municipality of another country but not of the same size band does not count; one of the same band does.
                let far = Organisation(kind: .municipality, name: "Far", country: "SE", population: 2_000)
                let sameBand = Organisation(kind: .municipality, name: "Band", country: "SE", population: 90_000)
                try await far.create(on: app.db); try await sameBand.create(on: app.db)
                try await app.makeAssessment(organisation: far.id!, levels: [1, 1, 1, 1, 1])
                report = try #require(try await api.send(.GET, "/api/v1/assessments/\(own.id!)/report").json)
                #expect(report["peers_shown"] as? Bool == false)
                try await app.makeAssessment(organisation: sameBand.id!, levels: [5, 5, 5, 5, 5])
                // The peer index is refreshed at most once a second.
                try await Task.sleep(for: .milliseconds(1100))
                report = try #require(try await api.send(.GET, "/api/v1/assessments/\(own.id!)/report").json)
                #expect(report["peers_shown"] as? Bool == true)
                #expect(report["peers"] as? Int == 5)
                let rows = try #require(report["rows"] as? [[String: Any]])
                let expectedPeerAverage: Double = 17.0 / 5
                #expect(rows.first?["peer_average"] as? Double == expectedPeerAverage)
                let page = try await Browser(app).get("/assessments/\(own.id!)/report")
                #expect(page.text.contains("the average of 5 municipalities"))
            }
        }

        @Test func theAPIAnswersAndSubmits() async throws {
            try await withTestApp { app in
                let w = app.world
                let kfs = try await keyFactors(app)
                let editor = try await Browser.signedIn(app, as: .editorA)
                let api = APIClient(app: app, token: try await editor.createAPIToken())
                let list = try await api.send(.GET, "/api/v1/frameworks")
                #expect(list.jsonArray?.count == 4)
                let created = try await api.send(.POST, "/api/v1/organisations/\(w.orgA)/assessments", json: ["framework": Self.theme, "year": 2025])
                #expect(created.status == .created)
                let id = try #require(created.json?["id"] as? Int)
                #expect(try await api.send(.POST, "/api/v1/organisations/\(w.orgA)/assessments", json: ["framework": Self.theme, "year": 2025]).status == .conflict)

                // Bad input: nothing stored.
                let unknown = try await api.send(.PUT, "/api/v1/assessments/\(id)", json: [
                    "revision": 1,
                    "content": ["answers": ["\(kfs[0])/no-such-question": "?"], "ratings": [kfs[1]: ["level": 7]]] as [String: any Sendable],
                ])
                #expect(unknown.status == .unprocessableEntity)
                let problems = try #require((unknown.json?["error"] as? [String: Any])?["problems"] as? [[String: Any]])
                #expect(problems.map { $0["path"] as? String } == ["answers.\(kfs[0])/no-such-question", "ratings.\(kfs[1]).level"])
                #expect(try await Assessment.find(id, on: app.db)?.revision == 1)

                var ratings: [String: any Sendable] = [:]
                for k in kfs { ratings[k] = ["level": 3, "evidence": ["policy": "fully", "external": "partially"], "evidenceText": "API", "comments": ""] as [String: any Sendable] }
                let put = try await api.send(.PUT, "/api/v1/assessments/\(id)", json: ["revision": 1, "content": ["ratings": ratings, "answers": [String: String](), "context": ["budget": "Tight"]] as [String: any Sendable]])
                if put.status != .ok { Issue.record("PUT failed: \(put.text)") }
                #expect(put.json?["revision"] as? Int == 2)
                let stale = try await api.send(.PUT, "/api/v1/assessments/\(id)", json: ["revision": 1, "content": ["ratings": [String: String]()] as [String: any Sendable]])
                #expect(stale.status == .conflict)
                #expect((stale.json?["current"] as? [String: Any])?["revision"] as? Int == 2)

                let submitted = try await api.send(.POST, "/api/v1/assessments/\(id)/submit")
                #expect(submitted.status == .ok)
                #expect(submitted.json?["status"] as? String == "submitted")
                let report = try await api.send(.GET, "/api/v1/assessments/\(id)/report")
                #expect(report.json?["average"] as? Double == 3)
                let export = try await api.send(.GET, "/api/v1/organisations/\(w.orgA)/assessments/export?format=csv")
                #expect(export.text.split(separator: "\n").count == 1 + kfs.count)
                #expect(export.text.contains("fully,not-assessed,partially,API"))
            }
        }

        @Test func anIncompleteSubmissionThroughTheAPINamesTheKeyFactors() async throws {
            try await withTestApp { app in
                let a = try await app.makeAssessment(organisation: app.world.orgA)
                let api = APIClient(app: app, token: try await Browser.signedIn(app, as: .editorA).createAPIToken())
                let r = try await api.send(.POST, "/api/v1/assessments/\(a.id!)/submit")
                #expect(r.status == .unprocessableEntity)
                let message = try #require((r.json?["error"] as? [String: Any])?["message"] as? String)
                #expect(message.contains("Get to know the local context") || message.contains("local context"), "\(message)")
            }
        }

        @Test func aCoordinatorUploadsANewVersionAndOldAssessmentsKeepTheirs() async throws {
            try await withTestApp { app in
                let old = try await app.makeAssessment(organisation: app.world.orgA, levels: [2, 2, 2, 2, 2])
                let admin = try await Browser.signedIn(app, as: .platformAdmin)
                // A broken file: each problem with its place; nothing stored.
                var doc = Application.frameworkJSON(id: Self.theme, version: 2)
                doc["title"] = ["en": "Only English"]
                let broken = String(decoding: try JSONSerialization.data(withJSONObject: doc), as: UTF8.self)
                let refused = try await admin.post("/benchmarks/upload", [("json", broken)])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.text.contains("<code>title.nl</code>: the Dutch translation is missing"))
                #expect(refused.text.contains("Only English"), "the pasted text is kept")
                #expect(try await FrameworkVersion.query(on: app.db).filter(\.$frameworkKey == Self.theme).count() == 1)
                // Not newer than the stored version.
                let same = String(decoding: try JSONSerialization.data(withJSONObject: Application.frameworkJSON(id: Self.theme, version: 1)), as: UTF8.self)
                #expect(try await admin.post("/benchmarks/upload", [("json", same)]).text.contains("is not newer than the stored version 1"))
                // Version 2 with two key factors.
                let v2 = String(decoding: try JSONSerialization.data(withJSONObject: Application.frameworkJSON(id: Self.theme, version: 2)), as: UTF8.self)
                #expect(try await admin.post("/benchmarks/upload", [("json", v2)]).status == .seeOther)
                let latest = try #require(try await app.benchmarks.latest(key: Self.theme, on: app.db))
                #expect(latest.row.version == 2)
                // The old assessment's report is unchanged: still five key factors of version 1.
                let report = try await APIClient(app: app, token: try await admin.createAPIToken()).send(.GET, "/api/v1/assessments/\(old.id!)/report")
                #expect(report.json?["framework_version"] as? Int == 1)
                #expect((report.json?["rows"] as? [Any])?.count == 5)
                // An editor of a municipality is no coordinator.
                let editor = try await Browser.signedIn(app, as: .editorA)
                #expect(try await editor.post("/benchmarks/upload", [("json", v2)]).status == .forbidden)
            }
        }
    }
}
