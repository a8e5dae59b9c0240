import Fluent
import Foundation
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

@testable import LivingTogetherApp

extension AppTests {
    /// Participation as its users meet it: a newcomer finds an activity near home, registers (or waits), sees their
    /// hours and proof and gives a counsellor access; the organiser records attendance; figures hide small numbers.
    @Suite struct ParticipationPages {
        typealias H = HTMLText

        static func newcomer(
            _ app: Application, _ name: String = "newcomer"
        ) async throws -> (id: Int, browser: Browser) {
            let email = "\(name)-\(UUID().uuidString.prefix(6).lowercased())@example.org"
            let id = try await app.makeUser(email: email, name: name.capitalized).user
            let b = Browser(app)
            _ = try await b.signIn(email: email)
            return (id, b)
        }

        @Test func theFinderKeepsWhatFitsThePlaceLevelAndKind() async throws {
            try await withTestApp { app in
                let w = app.world
                _ = try await app.makeActivity(
                    organiser: w.orgA, Application.weeklyActivity(title: "Mechelen table", level: .a2))
                _ = try await app.makeActivity(
                    organiser: w.orgA, Application.weeklyActivity(title: "Mechelen B2 debate", level: .b2))
                _ = try await app.makeActivity(
                    organiser: w.orgA, Application.weeklyActivity(title: "Mechelen football", category: .sport))
                _ = try await app.makeActivity(
                    organiser: w.orgB, Application.weeklyActivity(title: "Gent table", level: .a1))
                _ = try await app.makeActivity(
                    organiser: w.orgA, published: false, Application.weeklyActivity(title: "Draft table"))
                let b = Browser(app)
                let page = try await b.get("/participation?place=mechelen&radius=0&level=a2&category=conversationTable")
                #expect(page.status == .ok)
                let text = H.plainText(page.text)
                #expect(text.contains("Mechelen table") && text.contains("1 activity — Mechelen"))
                #expect(
                    !text.contains("B2 debate") && !text.contains("football") && !text.contains("Gent table")
                        && !text.contains("Draft"))
                // Gent is about 53 km from Mechelen: 50 km do not reach it, 60 km do.
                let near = H.plainText(
                    try await b.get("/participation?place=Mechelen&radius=50&level=a2&category=conversationTable").text)
                #expect(!near.contains("Gent table"))
                let wide = H.plainText(
                    try await b.get("/participation?place=Mechelen&radius=60&level=a2&category=conversationTable").text)
                #expect(wide.contains("Gent table") && wide.contains("Mechelen table"))
                let api = try await APIClient(app: app, token: nil).send(
                    .GET, "/api/v1/activities?place=Mechelen&radius=60&level=a2")
                #expect(api.json?["total"] as? Int == 3)
                let first = try #require((api.json?["items"] as? [[String: Any]])?.first)
                #expect(first["level"] as? String != nil && first["counts"] as? Bool == true)
                #expect(((first["links"] as? [String: Any])?["calendar"] as? String)?.hasSuffix("/calendar.ics") == true)
                #expect((first["title"] as? [String: String])?["nl"] == "Praattafel")
            }
        }

        @Test func oddSearchesAreNamedAndNothingBreaks() async throws {
            try await withTestApp { app in
                let page = try await Browser(app).get(
                    "/participation?place=Atlantis&level=A3&from=2026-13-45&radius=-2")
                #expect(page.status == .unprocessableEntity)
                #expect(H.fieldError("level", in: page.text)?.contains("\"A3\" is not a level") == true)
                #expect(H.fieldError("place", in: page.text)?.contains("Atlantis") == true)
                #expect(H.fieldError("from", in: page.text) != nil && H.fieldError("radius", in: page.text) != nil)
                #expect(H.fieldValue("place", in: page.text) == "Atlantis", "what was typed is kept")
                let api = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/activities?level=Z9")
                #expect(api.status == .unprocessableEntity)
                #expect(((api.json?["error"] as? [String: Any])?["fields"] as? [String: String])?["level"] != nil)
                for q in ["page=-3", "page=99999999999999999999", "radius=1e308", "to=9999-12-31", "radius=nan"] {
                    #expect(try await Browser(app).get("/participation?\(q)").status.code < 500, "\(q)")
                }
            }
        }

        @Test func registrationAsksConsentAndAFullActivityOffersTheWaitingList() async throws {
            try await withTestApp { app in
                let row = try await app.makeActivity(organiser: app.world.orgA, Application.weeklyActivity(capacity: 1))
                let path = "/participation/activities/\(row.id ?? 0)"
                let ann = try await Self.newcomer(app, "ann")
                let bob = try await Self.newcomer(app, "bob")
                let noConsent = try await ann.browser.post(path + "/registration")
                #expect(noConsent.status == .unprocessableEntity)
                #expect(H.fieldError("consent", in: noConsent.text)?.contains("Tick the box") == true)
                #expect(try await ActivityRegistration.query(on: app.db).count() == 0)
                #expect(try await ann.browser.post(path + "/registration", [("consent", "yes")]).status == .seeOther)
                #expect(H.plainText(try await ann.browser.get(path).text).contains("You have a place."))
                // Bob finds it full: told so, nothing stored, until he asks for the waiting list.
                let full = try await bob.browser.post(path + "/registration", [("consent", "yes")])
                #expect(full.status == .unprocessableEntity)
                #expect(H.fieldError("waiting_list", in: full.text)?.contains("all 1 places are taken") == true)
                #expect(try await ActivityRegistration.query(on: app.db).filter(\.$user.$id == bob.id).count() == 0)
                #expect(
                    try await bob.browser.post(path + "/registration", [("consent", "yes"), ("waiting_list", "yes")])
                        .status == .seeOther)
                #expect(H.plainText(try await bob.browser.get(path).text).contains("You are on the waiting list."))
                // Ann cancels: Bob gets her place.
                #expect(try await ann.browser.post(path + "/registration/cancel").status == .seeOther)
                let bobs = try await ActivityRegistration.query(on: app.db).filter(\.$user.$id == bob.id).first()
                #expect(bobs?.seatStatus == .registered)
                // Through the API: full without asking for the waiting list is a 409 that names the field.
                let carl = try await Self.newcomer(app, "carl")
                let api = APIClient(app: app, token: try await carl.browser.createAPIToken())
                let refused = try await api.send(
                    .POST, "/api/v1/activities/\(row.id ?? 0)/registrations", json: ["consent": true])
                #expect(refused.status == .conflict)
                let waiting = try await api.send(
                    .POST, "/api/v1/activities/\(row.id ?? 0)/registrations",
                    json: ["consent": true, "waiting_list": true])
                #expect(waiting.status == .created && waiting.json?["status"] as? String == "waiting")
            }
        }

        @Test func theOrganiserRecordsAttendanceAndBadLinesStoreNothing() async throws {
            try await withTestApp { app in
                let row = try await app.makeActivity(organiser: app.world.orgA)
                let id = row.id ?? 0
                let ann = try await Self.newcomer(app, "ann")
                _ = try await ParticipationUseCases.register(row, userID: ann.id, on: app.db)
                let editor = try await Browser.signedIn(app, as: .editorA)
                let weekAgo = Day.today.adding(days: -7)
                let form = try await editor.get("/participation/activities/\(id)/attendance")
                #expect(form.status == .ok && H.plainText(form.text).contains("Ann"))
                let beyond = try await editor.post(
                    "/participation/activities/\(id)/attendance",
                    [("day", weekAgo.description), ("present_\(ann.id)", "yes"), ("minutes_\(ann.id)", "150")])
                #expect(beyond.status == .unprocessableEntity)
                #expect(H.fieldError("minutes_\(ann.id)", in: beyond.text)?.contains("at most 120 minutes") == true)
                #expect(H.fieldValue("minutes_\(ann.id)", in: beyond.text) == "150", "what was typed is kept")
                let wrongDay = try await editor.post(
                    "/participation/activities/\(id)/attendance",
                    [
                        ("day", weekAgo.adding(days: 1).description), ("present_\(ann.id)", "yes"),
                        ("minutes_\(ann.id)", "60"),
                    ])
                #expect(H.fieldError("day", in: wrongDay.text)?.contains("does not take place") == true)
                #expect(try await AttendanceRow.query(on: app.db).count() == 0, "nothing stored")
                // Through the API too.
                let api = APIClient(app: app, token: try await editor.createAPIToken())
                let apiBeyond = try await api.send(
                    .PUT, "/api/v1/activities/\(id)/attendance/\(weekAgo)",
                    text: "{\"lines\": [{\"person\": \(ann.id), \"present\": true, \"minutes\": 500}]}")
                #expect(apiBeyond.status == .unprocessableEntity)
                #expect(try await AttendanceRow.query(on: app.db).count() == 0)
                #expect(
                    try await editor.post(
                        "/participation/activities/\(id)/attendance",
                        [("day", weekAgo.description), ("present_\(ann.id)", "yes"), ("minutes_\(ann.id)", "90")]
                    )
                    .status == .seeOther)
                let hours = H.plainText(try await ann.browser.get("/participation/hours").text)
                #expect(hours.contains("1.5 of 40 hours") && hours.contains("38.5 hours to go"))
                // A no-show replaces the line and is kept as absent.
                #expect(
                    try await editor.post("/participation/activities/\(id)/attendance", [("day", weekAgo.description)])
                        .status == .seeOther)
                let line = try await AttendanceRow.query(on: app.db).first()
                #expect(line?.present == false && line?.minutes == 0)
                #expect(H.plainText(try await ann.browser.get("/participation/hours").text).contains("absent"))
            }
        }

        @Test func aCounsellorSeesOnlyThePeopleWhoGaveAccess() async throws {
            try await withTestApp { app in
                let row = try await app.makeActivity(organiser: app.world.orgA)
                let ann = try await Self.newcomer(app, "ann")
                let bob = try await Self.newcomer(app, "bob")
                for p in [ann, bob] { _ = try await ParticipationUseCases.register(row, userID: p.id, on: app.db) }
                _ = try await ParticipationUseCases.recordAttendance(
                    row, day: Day.today.adding(days: -7),
                    lines: [(ann.id, true, 120), (bob.id, true, 120)], by: nil, on: app.db)
                let counsellor = try await app.makeCounsellor()
                // Only a counsellor of an integration agency can be given access.
                let notAgency = try await ann.browser.post(
                    "/participation/hours/access", [("email", app.world.email(.editorA))])
                #expect(H.fieldError("email", in: notAgency.text)?.contains("not a counsellor") == true)
                #expect(
                    try await ann.browser.post("/participation/hours/access", [("email", counsellor.email)]).status
                        == .seeOther)
                let c = Browser(app)
                _ = try await c.signIn(email: counsellor.email)
                let people = H.plainText(try await c.get("/participation/people").text)
                #expect(people.contains("Ann") && people.contains("2 of 40 hours") && !people.contains("Bob"))
                #expect(try await c.get("/participation/people/\(ann.id)").status == .ok)
                #expect(try await c.get("/participation/people/\(bob.id)").status == .notFound)
                let api = APIClient(app: app, token: try await c.createAPIToken())
                #expect(try await api.send(.GET, "/api/v1/me/participation/people/\(bob.id)").status == .notFound)
                #expect(
                    try await api.send(.GET, "/api/v1/me/participation/people/\(ann.id)").json?["hours"] as? Double == 2
                )
                // Ann takes the access back: the counsellor no longer sees her.
                let access = try #require(try await ParticipationAccess.query(on: app.db).first())
                #expect(
                    try await bob.browser.post("/participation/hours/access/\(access.id ?? 0)/revoke").status
                        == .notFound)
                #expect(
                    try await ann.browser.post("/participation/hours/access/\(access.id ?? 0)/revoke").status
                        == .seeOther)
                #expect(try await c.get("/participation/people/\(ann.id)").status == .notFound)
            }
        }

        @Test func theProofExportAndErasureOfAParticipant() async throws {
            try await withTestApp { app in
                let counting = try await app.makeActivity(
                    organiser: app.world.orgA, Application.weeklyActivity(title: "Walk and talk"))
                let other = try await app.makeActivity(
                    organiser: app.world.orgA,
                    Application.weeklyActivity(title: "Info in Arabic", counts: false))
                let ann = try await Self.newcomer(app, "ann")
                let day = Day.today.adding(days: -7)
                for r in [counting, other] {
                    _ = try await ParticipationUseCases.register(r, userID: ann.id, on: app.db)
                    _ = try await ParticipationUseCases.recordAttendance(
                        r, day: day, lines: [(ann.id, true, 120)], by: nil, on: app.db)
                }
                let proof = H.plainText(try await ann.browser.get("/participation/hours/proof").text)
                #expect(
                    proof.contains("Walk and talk") && !proof.contains("Info in Arabic")
                        && proof.contains("2 of 40 hours"))
                let export = try await ann.browser.get("/participation/hours/export.json")
                #expect(export.json?["counted_minutes"] as? Int == 120)
                #expect((export.json?["attendance"] as? [[String: Any]])?.count == 2)
                let wrong = try await ann.browser.post("/participation/hours/erase", [("confirm", "yes")])
                #expect(wrong.status == .unprocessableEntity && H.fieldError("confirm", in: wrong.text) != nil)
                #expect(try await AttendanceRow.query(on: app.db).count() == 2)
                #expect(
                    try await ann.browser.post("/participation/hours/erase", [("confirm", "erase")]).status == .seeOther
                )
                #expect(try await AttendanceRow.query(on: app.db).count() == 0)
                #expect(try await ActivityRegistration.query(on: app.db).count() == 0)
                #expect(try await ParticipationConsent.query(on: app.db).count() == 0)
                #expect(H.plainText(try await ann.browser.get("/participation/hours").text).contains("0 of 40 hours"))
            }
        }

        @Test func figuresHideFewerThanFivePeople() async throws {
            try await withTestApp { app in
                let small = try await app.makeActivity(
                    organiser: app.world.orgA, Application.weeklyActivity(title: "Small table"))
                let big = try await app.makeActivity(
                    organiser: app.world.orgA, Application.weeklyActivity(title: "Big table", level: .b1))
                let day = Day.today.adding(days: -7)
                var bigLines: [(userID: Int, present: Bool, minutes: Int)] = []
                for i in 0..<6 {
                    let u = try await app.makeUser(email: "p\(i)-\(UUID().uuidString.prefix(4))@example.org").user
                    _ = try await ParticipationUseCases.register(big, userID: u, on: app.db)
                    bigLines.append((u, true, 60))
                    if i < 2 {
                        _ = try await ParticipationUseCases.register(small, userID: u, on: app.db)
                        _ = try await ParticipationUseCases.recordAttendance(
                            small, day: day, lines: [(u, true, 60)], by: nil, on: app.db)
                    }
                }
                _ = try await ParticipationUseCases.recordAttendance(
                    big, day: day, lines: bigLines, by: nil, on: app.db)
                let viewer = try await Browser.signedIn(app, as: .viewerA)
                let csv = try await viewer.get("/participation/municipalities/\(app.world.orgA)/figures.csv")
                #expect(csv.status == .ok)
                let lines = csv.text.split(separator: "\r\n").map(String.init)
                #expect(lines.contains { $0.hasPrefix("activity,\(big.id ?? 0),Big table,B1,6,0,6,6.0,0") })
                #expect(lines.contains { $0.hasPrefix("activity,\(small.id ?? 0),Small table,A2,<5,0,<5,,0") })
                #expect(
                    lines.contains("total,,,,,,6,8.0,"), "six people, 6 h at the big table and 2 h at the small one")
                let page = H.plainText(try await viewer.get("/participation/municipalities/\(app.world.orgA)").text)
                #expect(page.contains("Big table") && page.contains("<5"))
                #expect(
                    try await Browser.signedIn(app, as: .adminB).get("/participation/municipalities/\(app.world.orgA)")
                        .status == .forbidden)
            }
        }

        @Test func theOrganisersFormNamesEveryProblemAndKeepsWhatWasTyped() async throws {
            try await withTestApp { app in
                let editor = try await Browser.signedIn(app, as: .editorA)
                var form = AppTests.AuthorizationWalk.activityForm(organiser: app.world.orgA)
                form.removeAll { ["level", "end", "capacity"].contains($0.0) }
                form += [("level", "A3"), ("end", "13:00"), ("capacity", "many")]
                let bad = try await editor.post("/participation/activities/new", form)
                #expect(bad.status == .unprocessableEntity)
                #expect(H.fieldError("level", in: bad.text)?.contains("\"A3\" is not a level") == true)
                #expect(H.fieldError("end", in: bad.text)?.contains("not a time after the start") == true)
                #expect(H.fieldError("capacity", in: bad.text)?.contains("\"many\"") == true)
                #expect(H.fieldValue("title_en", in: bad.text) == "Conversation table")
                #expect(try await ActivityRow.query(on: app.db).count() == 0)
                let good = try await editor.post(
                    "/participation/activities/new", AppTests.AuthorizationWalk.activityForm(organiser: app.world.orgA))
                #expect(good.status == .seeOther)
                let row = try #require(try await ActivityRow.query(on: app.db).first())
                #expect(row.published && row.level == "a2" && row.$municipality.id == app.world.orgA)
                // A capacity below the places taken is refused.
                for _ in 0..<3 {
                    _ = try await ParticipationUseCases.register(row, userID: try await app.makeUser().user, on: app.db)
                }
                var lower = AppTests.AuthorizationWalk.activityForm(organiser: app.world.orgA)
                lower.removeAll { $0.0 == "capacity" }
                lower.append(("capacity", "2"))
                let refused = try await editor.post("/participation/activities/\(row.id ?? 0)/edit", lower)
                #expect(H.fieldError("capacity", in: refused.text)?.contains("3 people already hold a place") == true)
                // Through the API a level outside A1–C2 is named in the fields.
                let api = APIClient(app: app, token: try await editor.createAPIToken())
                var body = AppTests.AuthorizationWalk.activityJSON(organiser: app.world.orgA)
                body["level"] = "C3"
                let r = try await api.send(.POST, "/api/v1/activities", json: body)
                #expect(r.status == .unprocessableEntity)
                #expect(
                    ((r.json?["error"] as? [String: Any])?["fields"] as? [String: String])?["level"]?.contains("C3")
                        == true)
                #expect(try await ActivityRow.query(on: app.db).count() == 1)
                // The new activity is found at once by the finder.
                #expect(
                    H.plainText(
                        try await Browser(app).get("/participation?place=Mechelen&from=2027-01-01&to=2027-02-01").text
                    )
                    .contains("Conversation table"))
            }
        }
    }
}

extension AppTests {
    /// A resident who wants to take part creates an account with a name and an e-mail address, and chooses the
    /// password through the link sent there; the page does not tell whether the address had an account.
    @Suite struct SignUp {
        @Test func aResidentCreatesAnAccountAndChoosesThePasswordThroughTheLink() async throws {
            try await withTestApp { app in
                let b = Browser(app)
                _ = try await b.get("/sign-up")
                let bad = try await b.post("/sign-up", [("name", ""), ("email", "not an address")])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("name", in: bad.text) != nil && HTMLText.fieldError("email", in: bad.text) != nil)
                #expect(HTMLText.fieldValue("email", in: bad.text) == "not an address")
                let done = try await b.post("/sign-up", [("name", "Nadia"), ("email", "Nadia@Example.org"),
                                                         ("return_to", "/participation/hours")])
                #expect(done.status == .seeOther && done.location == "/sign-in?return_to=%2Fparticipation%2Fhours")
                let user = try #require(try await User.query(on: app.db).filter(\.$email == "nadia@example.org").first())
                #expect(user.name == "Nadia")
                let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "nadia@example.org").first())
                let link = try #require(HTMLText.first(#"(/password/reset/[A-Za-z0-9_-]+)"#, in: mail.body))
                // Without the password nobody signs in; with the link's password the resident does.
                #expect(try await Browser(app).signIn(email: "nadia@example.org", password: "a long new password").status != .seeOther)
                _ = try await b.get(link)
                #expect(try await b.post(link, [("password", "a long new password"),
                                                ("password_confirmation", "a long new password")]).status == .seeOther)
                #expect(try await Browser(app).signIn(email: "nadia@example.org", password: "a long new password").status == .seeOther)
                // The same address again: the same answer, no second account, a message to the owner instead.
                let other = Browser(app)
                _ = try await other.get("/sign-up")
                let again = try await other.post("/sign-up", [("name", "Someone"), ("email", "nadia@example.org")])
                #expect(again.status == .seeOther && again.location == "/sign-in")
                #expect(try await User.query(on: app.db).filter(\.$email == "nadia@example.org").count() == 1)
                #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "nadia@example.org").count() == 2)
                // Asked again and again: a third message, then no more within the hour (the page answers the same).
                for _ in 0..<3 {
                    #expect(try await other.post("/sign-up", [("name", "Someone"), ("email", "nadia@example.org")]).status
                        == .seeOther)
                }
                #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "nadia@example.org").count() == 3)
            }
        }
    }
}
