import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// The defects a new user met in the built modules (issue "Robustness"): one typed number that stopped the server,
    /// rules that let wrong data in, and messages in the wrong place. Each test fails without its fix.
    @Suite struct Robustness {
        /// Numbers no indicator can mean, as people and scripts type them.
        static let extremeNumbers = ["999999999999999999999", "-999999999999999999999", "9223372036854775808", "1e308",
                                     "-1e308", "NaN", "nan", "inf", "-Infinity", "0x10", "1e-320", "1.5e300 persons",
                                     String(repeating: "9", count: 5_000)]

        @Test func extremeValuesOnAPlanIndicatorAreRefusedAndNothingIsStored() async throws {
            try await withTestApp { app in
                let action = try await app.makePlanAction()
                let iid = try await app.firstIndicator(of: action).requireID()
                let editor = try await Browser.signedIn(app, as: .editorA)
                let orgA = String(app.world.orgA)
                for typed in Self.extremeNumbers {
                    let r = try await editor.post("/plan-indicators/\(iid)/values", [("value\(iid)_reporter", orgA),
                                                                                    ("value\(iid)_day", "2026-03-01"), ("value\(iid)_value", typed)])
                    #expect(r.status == .unprocessableEntity, "\(typed.prefix(30)): \(r.status)")
                    #expect(HTMLText.fieldError("value\(iid)_value", in: r.text) != nil, "\(typed.prefix(30)): the message stands beside the value")
                }
                // The API: the same texts, and numbers that JSON carries as numbers.
                let token = try await editor.createAPIToken()
                let api = APIClient(app: app, token: token)
                for typed in Self.extremeNumbers {
                    let r = try await api.send(.POST, "/api/v1/plan-indicators/\(iid)/values",
                                               json: ["reporter_id": app.world.orgA, "day": "2026-03-01", "value": typed])
                    #expect(r.status == .unprocessableEntity, "\(typed.prefix(30)): \(r.status)")
                }
                for number in [1e308, -1e308, 9.3e18, 1e21] {
                    let r = try await api.send(.POST, "/api/v1/plan-indicators/\(iid)/values",
                                               json: ["reporter_id": app.world.orgA, "day": "2026-03-01", "value": number])
                    #expect(r.status == .unprocessableEntity, "\(number): \(r.status)")
                }
                #expect(try await IndicatorValueRow.query(on: app.db).count() == 0, "no refused value was stored")
                // The page of the action still answers: nothing half-written broke it.
                #expect(try await editor.get("/plan-actions/\(try action.requireID())").status == .ok)
            }
        }

        @Test func extremeBudgetsAndDatesOfAPlanActionAreRefused() async throws {
            try await withTestApp { app in
                let action = try await app.makePlanAction()
                let aid = try action.requireID()
                let editor = try await Browser.signedIn(app, as: .editorA)
                let before = try #require(try await PlanAction.find(aid, on: app.db))
                for (field, typed) in [("budget", "999999999999999999999"), ("budget", "1e308"), ("budget", "NaN"),
                                       ("start", "99999-01-01"), ("start", "2024-02-30"), ("end", "0000-00-00")] {
                    var form = [("title", "Language cafés"), ("goals", "More people practise Dutch."), ("start", "2025-01-01"),
                                ("end", "2026-12-31"), ("budget", "5000"), ("status", "running")]
                    form = form.map { $0.0 == field ? (field, typed) : $0 }
                    let r = try await editor.post("/plan-actions/\(aid)/edit", form)
                    #expect(r.status == .unprocessableEntity, "\(field) = \(typed): \(r.status)")
                    #expect(HTMLText.fieldError(field, in: r.text) != nil, "\(field) = \(typed): the message is beside the field")
                }
                let after = try #require(try await PlanAction.find(aid, on: app.db))
                #expect(after.budget == before.budget && after.startDay == before.startDay && after.endDay == before.endDay)
                // An empty date asks for one; it never says “” is not a date.
                let empty = try await editor.post("/plan-actions/\(aid)/edit", [("title", "Language cafés"), ("start", ""), ("end", "2026-12-31"),
                                                                           ("status", "running")])
                #expect(HTMLText.fieldError("start", in: empty.text)?.hasPrefix("Enter a date") == true)
                #expect(!empty.text.contains("“” is not a date"))
            }
        }

        @Test func aYesNoIndicatorIsNotSummedAcrossOrganisations() async throws {
            try await withTestApp { app in
                let w = app.world
                let action = try await app.makePlanAction(partners: [w.orgB], indicator: false)
                var input = IndicatorInput()
                input.name = "Plan adopted"; input.unit = "plan"; input.scale = "count"; input.direction = "increase"
                input.baseline = "0"; input.target = "1"; input.howMeasured = "Council decision"
                guard case .success(let indicator) = try await PlanUseCases.addIndicator(action, input: input, on: app.db) else {
                    Issue.record("the indicator was refused"); return
                }
                indicator.maximum = 1  // as a catalogue's yes/no indicator ("plan adopted") arrives in a plan
                try await indicator.save(on: app.db)
                let iid = try indicator.requireID()
                for (persona, org) in [(Persona.editorA, w.orgA), (.adminB, w.orgB)] {
                    let b = try await Browser.signedIn(app, as: persona)
                    let r = try await b.post("/plan-indicators/\(iid)/values", [("value\(iid)_reporter", String(org)),
                                                                               ("value\(iid)_day", "2026-03-01"), ("value\(iid)_value", "1")])
                    #expect(r.status == .seeOther)
                }
                let page = try await Browser.signedIn(app, as: .editorA).get("/plan-actions/\(try action.requireID())")
                #expect(page.text.contains("1 of target 1"), "both said yes: the plan is adopted once")
                #expect(!page.text.contains("2 of target 1"))
            }
        }

        @Test func theOutcomeOfATrajectoryIsChosenAndAnEarlyEndIsConfirmedWithItsReason() async throws {
            try await withTestApp { app in
                let pair = try await app.makePersonPair()  // at its first stage, "discover"
                let path = "/mentoring/pairs/\(try pair.requireID())"
                let staff = try await Browser.signedIn(app, as: .coordinator)
                let page = try await staff.get(path)
                let select = try #require(HTMLText.first(#"<select id="f-outcome" name="outcome"[^>]*>(.*?)</select>"#, in: page.text))
                #expect(select.hasPrefix(#"<option value="" selected>"#), "no outcome, positive or not, is chosen for the staff")
                #expect(page.text.contains("has not reached its last stage (Evaluate)"))

                let unchosen = try await staff.post("\(path)/outcome", [("outcome", ""), ("ended_on", Day.today.description)])
                #expect(unchosen.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("outcome", in: unchosen.text)?.contains("Choose the outcome") == true)
                let unconfirmed = try await staff.post("\(path)/outcome", [("outcome", "stable-job-3-months"), ("ended_on", Day.today.description)])
                #expect(unconfirmed.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("confirm_early", in: unconfirmed.text)?.contains("confirm that it ends early") == true)
                #expect(HTMLText.fieldError("early_reason", in: unconfirmed.text) != nil)
                #expect(try await MentoringPair.find(pair.requireID(), on: app.db)?.outcome == nil, "nothing was recorded")

                let early = try await staff.post("\(path)/outcome", [("outcome", "none"), ("ended_on", Day.today.description),
                                                                     ("confirm_early", "yes"), ("early_reason", "The mentee moved to Liège.")])
                #expect(early.status == .seeOther)
                let ended = try #require(try await MentoringPair.find(pair.requireID(), on: app.db))
                #expect(ended.outcome == "none")
                let events = try await MentoringStageEvent.query(on: app.db).filter(\.$pair.$id == pair.requireID()).all()
                #expect(events.contains { $0.comment == "The mentee moved to Liège." }, "the reason is kept in the history")
                #expect(try await staff.get(path).text.contains("The mentee moved to Liège."))
            }
        }

        @Test func anEnrolmentAsksOnlyTheFactsOfItsSide() async throws {
            try await withTestApp { app in
                let p = try await app.makeProgramme(.personToPerson)
                let pid = try p.requireID()
                let staff = try await Browser.signedIn(app, as: .coordinator)
                let menteeForm = try await staff.get("/mentoring/programmes/\(pid)/enrol?role=mentee")
                for asked in ["fact_age", "fact_originOutsideEU", "fact_workPermit"] { #expect(menteeForm.text.contains("name=\"\(asked)\"")) }
                for notAsked in ["fact_professionalExperience", "fact_hoursPerWeek", "fact_months", "experience_years", "hours_per_week", "capacity"] {
                    #expect(!menteeForm.text.contains("name=\"\(notAsked)\""), "a mentee is not asked \(notAsked)")
                }
                let mentorForm = try await staff.get("/mentoring/programmes/\(pid)/enrol?role=mentor")
                for asked in ["fact_professionalExperience", "fact_hoursPerWeek", "fact_months", "experience_years"] {
                    #expect(mentorForm.text.contains("name=\"\(asked)\""))
                }
                #expect(!mentorForm.text.contains("name=\"fact_workPermit\""))

                // A mentee sent with a mentor's answers too: only the mentee's facts are stored.
                let sent = try await staff.post("/mentoring/programmes/\(pid)/enrol", [
                    ("role", "mentee"), ("name", "Amal"), ("fact_age", "25"), ("fact_originOutsideEU", "yes"), ("fact_workPermit", "yes"),
                    ("fact_months", "6"), ("fact_professionalExperience", "no"), ("experience_years", "3"), ("hours_per_week", "4"),
                    ("languages", "nl"), ("place", "Gent")])
                #expect(sent.status == .seeOther)
                let amal = try #require(try await MentoringParticipant.query(on: app.db).filter(\.$displayName == "Amal").first())
                #expect(Set(amal.factValues.keys) == ["age", "originOutsideEU", "workPermit"])
                #expect(amal.experienceYears == nil && amal.hoursPerWeek == nil)

                // An age is a whole number.
                let decimal = try await staff.post("/mentoring/programmes/\(pid)/enrol", [
                    ("role", "mentee"), ("name", "Bilal"), ("fact_age", "25.5"), ("fact_originOutsideEU", "yes"), ("fact_workPermit", "yes")])
                #expect(decimal.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("fact_age", in: decimal.text)?.contains("not a whole number") == true)
            }
        }

        @Test func demotingTheLastAdministratorIsRefusedOnTheMembersPage() async throws {
            try await withTestApp { app in
                let w = app.world
                let mid = try #require(w.person(.adminA).membershipID)
                let admin = try await Browser.signedIn(app, as: .adminA)
                let refused = try await admin.post("/directory/\(w.orgA)/members/\(mid)/role", [("role", "editor")])
                #expect(refused.status == .conflict)
                #expect(refused.text.contains("<h1>Members of"), "the members page, not a bare Conflict page")
                #expect(HTMLText.fieldError("role-\(mid)", in: refused.text) != nil, "the message stands beside the member's role")
                #expect(try await Membership.find(mid, on: app.db)?.role == "admin")
            }
        }

        @Test func aTooLongCommentIsNamedBesideTheComments() async throws {
            try await withTestApp { app in
                let framework = try #require(try await app.benchmarks.latest(key: "city-for-all", on: app.db)).framework
                let kf = try #require(framework.keyFactors.first).id
                let a = try await app.makeAssessment(organisation: app.world.orgA)
                let editor = try await Browser.signedIn(app, as: .editorA)
                let long = String(repeating: "x", count: AssessmentContent.maximumTextLength + 1)
                let r = try await editor.post("/assessments/\(try a.requireID())", [("revision", "1"), ("action", "save"),
                                                                                    ("evidence_text:\(kf)", "Council minutes"),
                                                                                    ("comments:\(kf)", long)])
                #expect(r.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("comments-\(kf)", in: r.text)?.contains("at most") == true)
                #expect(HTMLText.fieldError("evidence-text-\(kf)", in: r.text) == nil, "not under the evidence")
                #expect(r.text.contains("href=\"#f-comments-\(kf)\""), "the summary links to the comments field")
                #expect(r.text.contains("id=\"f-comments-\(kf)\""))
            }
        }

        @Test func anEditorDeletesADraftButNotASubmittedAssessment() async throws {
            try await withTestApp { app in
                let draft = try await app.makeAssessment(organisation: app.world.orgA)
                let submitted = try await app.makeAssessment(organisation: app.world.orgA, levels: [1, 2, 3, 4, 5])
                let viewer = try await Browser.signedIn(app, as: .viewerA)
                #expect(try await viewer.post("/assessments/\(try draft.requireID())/delete").status == .forbidden)
                let editor = try await Browser.signedIn(app, as: .editorA)
                #expect(try await editor.get("/assessments/\(try draft.requireID())").text.contains("Delete the draft"))
                let deleted = try await editor.post("/assessments/\(try draft.requireID())/delete")
                #expect(deleted.status == .seeOther && deleted.location == "/benchmarks")
                #expect(try await Assessment.find(draft.requireID(), on: app.db) == nil)
                #expect(try await AssessmentChange.query(on: app.db).filter(\.$assessment.$id == draft.requireID()).count() == 0)
                let kept = try await editor.post("/assessments/\(try submitted.requireID())/delete")
                #expect(kept.status == .conflict)
                #expect(kept.text.contains("cannot be deleted"))
                #expect(try await Assessment.find(submitted.requireID(), on: app.db) != nil)
                // The API alike.
                let api = APIClient(app: app, token: try await editor.createAPIToken())
                #expect(try await api.send(.DELETE, "/api/v1/assessments/\(try submitted.requireID())").status == .conflict)
                let another = try await app.makeAssessment(organisation: app.world.orgA)
                #expect(try await api.send(.DELETE, "/api/v1/assessments/\(try another.requireID())").status == .noContent)
            }
        }

        @Test func publishedReportsAreListedAndGapsShowOnThePlan() async throws {
            try await withTestApp { app in
                let w = app.world
                let published = try await app.makeAssessment(organisation: w.orgA, levels: [1, 2, 3, 4, 5], published: true)
                _ = try await app.makeAssessment(organisation: w.orgA, levels: [2, 2, 2, 2, 2])  // submitted, not published
                let visitor = Browser(app)
                let reportLink = "href=\"/assessments/\(try published.requireID())/report\""
                let profile = try await visitor.get("/directory/\(w.orgA)")
                #expect(profile.text.contains("Published benchmark reports") && profile.text.contains(reportLink))
                #expect(HTMLText.all(#"href="/assessments/(\d+)/report""#, in: profile.text).count == 1, "only the published one")
                let theme = try await visitor.get("/benchmarks/city-for-all")
                #expect(theme.text.contains(reportLink))
                // A gap carried to the plan shows on the plan, with the way to plan an action for it.
                let editor = try await Browser.signedIn(app, as: .editorA)
                let framework = try #require(try await app.benchmarks.latest(key: "city-for-all", on: app.db)).framework
                let kf = try #require(framework.keyFactors.first)
                #expect(try await editor.post("/assessments/\(try published.requireID())/follow-ups",
                                              [("key_factor", kf.id), ("kind", "action")]).status == .seeOther)
                let plan = try await editor.get("/directory/\(w.orgA)/plan")
                #expect(plan.text.contains("Gaps from your benchmark reports"))
                #expect(HTMLText.plainText(plan.text).contains(kf.title("en")))
                #expect(plan.text.contains("Plan an action for this gap"))
                #expect(plan.text.contains("aria-current=\"page\">Plans</a>"), "the plan belongs to the Plans menu item")
            }
        }

        @Test func aYearOutsideTheRangeSaysWhichRange() async throws {
            try await withTestApp { app in
                _ = try await app.makePlanAction()
                let editor = try await Browser.signedIn(app, as: .editorA)
                let r = try await editor.get("/directory/\(app.world.orgA)/plan/report?year=1850")
                #expect(r.status == .badRequest)
                #expect(r.text.contains("from 2000 to 2100") && !r.text.contains("{0}"))
            }
        }

        /// A partner organisation's members find, from /plans and their organisation's page, the actions of another
        /// municipality's unpublished plan they report on; no link they are shown leads to "Not allowed".
        @Test func partnersFindTheActionsTheyReportOnAndNoLinkIsRefused() async throws {
            try await withTestApp { app in
                let action = try await app.makePlanAction(published: false, partners: [app.world.orgB], title: "Buddy walks")
                let actionPath = SiteURL.planAction(action.id).path
                let planPath = SiteURL.plan(app.world.orgA).path
                let partner = try await Browser.signedIn(app, as: .adminB)
                let plans = try await partner.get("/plans")
                #expect(plans.status == .ok)
                #expect(plans.text.contains("Actions you report on"))
                #expect(plans.text.contains("href=\"\(actionPath)\""), "the action is linked from /plans")
                #expect(!plans.text.contains("href=\"\(planPath)\""), "the unpublished plan is not linked")
                let profile = try await partner.get(SiteURL.organisation(app.world.orgB).path)
                #expect(profile.text.contains("1 action of another plan we report on"))
                let page = try await partner.get(actionPath)
                #expect(page.status == .ok)
                #expect(!page.text.contains("href=\"\(planPath)\""), "the action page links back to /plans, not to the plan")
                var checked = 0
                for html in [plans.text, profile.text, page.text] {
                    for href in Set(HTMLText.all("href=\"(/[^\"#]*)", in: html)) where !href.hasPrefix("/static") {
                        let r = try await partner.get(href)
                        #expect(r.status != .forbidden && r.status != .unauthorized, "\(href): \(r.status)")
                        checked += 1
                    }
                }
                #expect(checked > 10)
                // A viewer of the municipality, not of the partner, has no such list.
                let other = try await Browser.signedIn(app, as: .viewerA)
                #expect(!(try await other.get("/plans")).text.contains("Actions you report on"))
            }
        }

        /// The catalogue upload names a catalogue, not a framework, in its labels and its message.
        @Test func theCatalogueUploadSaysCatalogue() async throws {
            try await withTestApp { app in
                let coordinator = try await Browser.signedIn(app, as: .coordinator)
                let form = try await coordinator.get("/plans/catalogues/upload")
                #expect(form.text.contains("Catalogue file (JSON)") && !form.text.contains("Framework file"))
                let bad = try await coordinator.post("/plans/catalogues/upload", [("publisher", String(app.world.orgC)),
                                                                                 ("json", "{\"key\": 1}")])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("json", in: bad.text)?.contains("The catalogue was not stored") == true)
                #expect(HTMLText.first(#"<textarea id="f-json"[^>]*>([^<]*)</textarea>"#, in: bad.text)?.contains("key") == true,
                        "what was pasted is kept")
            }
        }

        /// Visits and agreements made after the programme started but before the round was confirmed are kept; a day
        /// before the programme's start is refused with the day it started, on the page and through the API.
        @Test func pairRecordsGoBackToTheProgrammesStart() async throws {
            try await withTestApp { app in
                let pair = try await app.makePersonPair()
                pair.startedOn = "2026-03-01"
                try await pair.save(on: app.db)
                let pid = try pair.requireID()
                let coordinator = try await Browser.signedIn(app, as: .coordinator)
                let early = try await coordinator.post("/mentoring/pairs/\(pid)/logbook", [("day", "2026-02-01"), ("kind", "work-visit"),
                                                                                         ("note", "Met before the round")])
                #expect(early.status == .seeOther)
                let before = try await coordinator.post("/mentoring/pairs/\(pid)/logbook", [("day", "2025-12-31"), ("kind", "contact"),
                                                                                          ("note", "Too early")])
                #expect(before.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("day", in: before.text) == "The programme started on 2026-01-01; choose that day or later.")
                let agreement = try await coordinator.post("/mentoring/pairs/\(pid)/agreement", [("signed_on", "2026-01-20"),
                                                                                               ("goals", "Meet weekly")])
                #expect(agreement.status == .seeOther)
                let api = APIClient(app: app, token: try await coordinator.createAPIToken())
                let refused = try await api.send(.PATCH, "/api/v1/mentoring/pairs/\(pid)",
                                                 json: ["agreement_signed_on": "2025-06-01", "plan_long_term": "Keep this out"])
                #expect(refused.status == .unprocessableEntity)
                let half = try await api.send(.PATCH, "/api/v1/mentoring/pairs/\(pid)",
                                              json: ["agreement_signed_on": "2026-02-02", "plan_long_term": "", "plan_pilot": ""])
                #expect(half.status == .unprocessableEntity, "a refused plan refuses the whole change")
                let stored = try #require(try await MentoringPair.find(pid, on: app.db))
                #expect(stored.agreementSignedOn == "2026-01-20" && stored.agreementGoals == "Meet weekly")
                #expect(stored.planLongTerm.isEmpty, "nothing of a refused change is stored")
                let entries = try await MentoringLogEntry.query(on: app.db).filter(\.$pair.$id == pid).all()
                #expect(entries.map(\.day) == ["2026-02-01"])
                // Both sides of the page name the same first day.
                let page = try await coordinator.get("/mentoring/pairs/\(pid)")
                #expect(page.text.contains("min=\"2026-01-01\""))
            }
        }

        /// A person-to-person pair speaks of visits and first steps; a pair of cities of work visits and pilot projects.
        @Test func personToPersonPairsUseTheirOwnWords() async throws {
            try await withTestApp { app in
                let coordinator = try await Browser.signedIn(app, as: .coordinator)
                let persons = try await coordinator.get("/mentoring/pairs/\(try await app.makePersonPair().requireID())")
                #expect(persons.text.contains("Visit together") && persons.text.contains("First steps"))
                #expect(!persons.text.contains("Work visit") && !persons.text.contains("Pilot project"))
                let cities = try await app.makePersonPair(try await app.makeProgramme(.cityToCity))
                let cityPage = try await coordinator.get("/mentoring/pairs/\(try cities.requireID())")
                #expect(cityPage.text.contains("Work visit") && cityPage.text.contains("Pilot project"))
                let empty = try await coordinator.post("/mentoring/pairs/\(try await app.makePersonPair().requireID())/plan",
                                                       [("long_term", ""), ("pilot", "")])
                #expect(HTMLText.fieldError("long_term", in: empty.text) == "Write the long-term plan, the first steps, or both.")
            }
        }

        /// The directory finds local and other-language names, shows region and country names (in the interface's
        /// language), and leaves out the sections of a city that the file marks as such.
        @Test func theDirectoryKnowsOtherNamesRegionsAndCountries() async throws {
            try await withTestApp { app in
                let csv = """
                geonameid,name,country,admin1,latitude,longitude,population,timezone,alternatenames,feature_code
                2803138,Antwerp,BE,VLG,51.22047,4.40026,529247,Europe/Brussels,"Antwerpen,Anvers",PPLA
                2800866,Brussels,BE,BRU,50.85045,4.34878,1019022,Europe/Brussels,"Bruxelles,Brussel",PPLC
                2803073,Borgerhout,BE,VLG,51.21,4.44,45000,Europe/Brussels,,PPLX
                """
                let report = try await DirectoryImporter(db: app.db).importText(csv, country: nil)
                #expect(report.inserted == 2 && report.notMunicipalities == ["PPLX": 1])
                try await app.directoryIndex.rebuild(on: app.db)
                let browser = Browser(app)
                let found = try await browser.get("/directory?q=antwerpen")
                #expect(HTMLText.directoryNames(in: found.text) == ["Antwerp"])
                #expect(found.text.contains("(also Antwerpen)"))
                #expect(found.text.contains("<td>Flanders</td>") && !found.text.contains("<td>VLG</td>"))
                #expect(HTMLText.directoryNames(in: try await browser.get("/directory?q=bruxelles").text) == ["Brussels"])
                #expect(HTMLText.directoryNames(in: try await browser.get("/directory?q=borgerhout").text).isEmpty)
                let antwerp = try #require(try await Organisation.query(on: app.db).filter(\.$name == "Antwerp").first())
                let profile = try await browser.get("/directory/\(try antwerp.requireID())")
                #expect(profile.text.contains("<dt>Also known as</dt><dd>Antwerpen; Anvers</dd>"))
                #expect(profile.text.contains("<dt>Region</dt><dd>Flanders</dd>"))
                browser.acceptLanguage = "nl"
                let dutch = try await browser.get("/directory/\(try antwerp.requireID())")
                #expect(dutch.text.contains("<dt>Land</dt><dd>België</dd>"))
                #expect(try await browser.get("/directory").text.contains(">Duitsland</option>"))
                let api = try await app.testing().sendRequest(.GET, "/api/v1/organisations/\(try antwerp.requireID())")
                #expect(api.body.string.contains("\"region_name\":\"Flanders\""))
                #expect(api.body.string.contains("\"alternate_names\":[\"Antwerpen\",\"Anvers\"]"))
            }
        }

        /// An editor gives the organisation's other names; the search finds them. Too long a name is named; the API
        /// refuses a change of kind instead of ignoring it.
        @Test func editorsKeepOtherNamesAndTheKindIsNotSilentlyIgnored() async throws {
            try await withTestApp { app in
                let admin = try await Browser.signedIn(app, as: .adminA)
                let path = SiteURL.organisationEdit(app.world.orgA).path
                #expect(try await admin.get(path).text.contains("name=\"alternate_names\""))
                let fields = [("name", "Mechelen"), ("country", "BE")]
                let tooLong = try await admin.post(path, fields + [("alternate_names", "Malines; " + String(repeating: "x", count: 201))])
                #expect(tooLong.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("alternate_names", in: tooLong.text) == "Each other name has at most 200 characters.")
                let saved = try await admin.post(path, fields + [("alternate_names", "Malines; Mecheln")])
                #expect(saved.status == .seeOther)
                try await app.directoryIndex.rebuild(on: app.db)
                #expect(HTMLText.directoryNames(in: try await admin.get("/directory?q=malines").text) == ["Mechelen"])
                let api = APIClient(app: app, token: try await admin.createAPIToken())
                let kind = try await api.send(.PATCH, "/api/v1/organisations/\(app.world.orgA)", json: ["kind": "network"])
                #expect(kind.status == .unprocessableEntity && kind.text.contains("cannot be changed"))
                #expect(try await Organisation.find(app.world.orgA, on: app.db)?.kind == "municipality")
            }
        }

        /// On a phone a table scrolls inside its own box, named by its caption and reachable by keyboard; the page
        /// itself never scrolls sideways (the browser check measures that at 390 px).
        @Test func everyTableScrollsInItsOwnNamedBox() async throws {
            let input: String = "<p>a</p><table class=\"list\"><caption>Organisations, \"largest\" first</caption>"
                + "<tr><td>x</td></tr></table><table><tr><td>y</td></tr></table>"
            let page = HTML.scrollableTables(HTML(raw: input), fallbackLabel: "Table").raw
            let first: String = "<p>a</p><div class=\"table-scroll\" role=\"region\" tabindex=\"0\" "
                + "aria-label=\"Organisations, &quot;largest&quot; first\"><table class=\"list\">"
            let second: String = "</table></div><div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">"
                + "<table><tr><td>y</td></tr></table></div>"
            #expect(page.hasPrefix(first) && page.hasSuffix(second))
            try await withTestApp { app in
                let list = try await Browser(app).get("/directory")
                #expect(list.text.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" "
                                           + "aria-label=\"Organisations, largest first\"><table class=\"list\">"))
            }
        }

        /// A body that cannot be read says which field holds what it should not, or that the body is not well-formed;
        /// never Swift's decoding text.
        @Test func unreadableBodiesNameTheField() async throws {
            try await withTestApp { app in
                let pair = try await app.makePersonPair()
                let coordinator = try await Browser.signedIn(app, as: .coordinator)
                let api = APIClient(app: app, token: try await coordinator.createAPIToken())
                let wrongType = try await api.send(.PATCH, "/api/v1/mentoring/pairs/\(try pair.requireID())", json: ["agreement_goals": 5])
                #expect(wrongType.status == .badRequest)
                let error = wrongType.json?["error"] as? [String: Any]
                #expect(error?["message"] as? String == "The field agreement_goals should hold text.")
                #expect((error?["fields"] as? [String: String])?["agreement_goals"] != nil)
                var headers = HTTPHeaders()
                headers.contentType = .json
                headers.bearerAuthorization = .init(token: api.token ?? "")
                let broken = try await app.testing().sendRequest(.PATCH, "/api/v1/mentoring/pairs/\(try pair.requireID())",
                                                                 headers: headers, body: ByteBuffer(string: "{\"agreement_goals\": "))
                #expect(broken.status == .badRequest)
                #expect(broken.body.string.contains("not well-formed") && !broken.body.string.contains("corrupted"))
                // A form with bytes that are not text.
                var form = HTTPHeaders()
                form.contentType = .urlEncodedForm
                form.replaceOrAdd(name: "X-CSRF-Token", value: coordinator.csrfToken ?? "")
                var bytes = ByteBuffer(string: "goals=")
                bytes.writeBytes([0xFF, 0xFE, 0x41])
                let page = try await coordinator.send(.POST, "/mentoring/pairs/\(try pair.requireID())/agreement", headers: form, body: bytes)
                #expect(page.status.code < 500)
                #expect(!page.text.contains("corrupted") && !page.text.contains("DecodingError"))
            }
        }

        /// Values the forms fill in themselves (a hidden yes/no, a button, a grade, a mentor) are one of the choices
        /// offered, or refused with the field named: never read as "no" or "none".
        @Test func choicesTheFormOffersAreTheOnlyOnesTaken() async throws {
            try await withTestApp { app in
                _ = try await app.makePlanAction()
                let editor = try await Browser.signedIn(app, as: .editorA)
                let publish = try await editor.post("/directory/\(app.world.orgA)/plan/publish", [("publish", "maybe")])
                #expect(publish.status == .badRequest && publish.text.contains("The value sent for publish is not one the form offers"))
                #expect(try await ActionPlan.query(on: app.db).filter(\.$organisation.$id == app.world.orgA).first()?.published == false)
                let framework = try #require(try await app.benchmarks.latest(key: "city-for-all", on: app.db)).framework
                let kf = try #require(framework.keyFactors.first).id
                let a = try await app.makeAssessment(organisation: app.world.orgA)
                let grade = try await editor.post("/assessments/\(try a.requireID())", [("revision", "1"), ("action", "save"),
                                                                                        ("evidence:\(kf):policy", "excellent")])
                #expect(grade.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("evidence-\(kf)-policy", in: grade.text)?.contains("excellent") == true)
                let button = try await editor.post("/assessments/\(try a.requireID())", [("revision", "1"), ("action", "publish-all")])
                #expect(button.status == .badRequest)
                #expect(try await Assessment.find(a.requireID(), on: app.db)?.revision == 1, "nothing was saved")
                let round = try await app.makeRound()
                let proposal = try #require(try await MentoringProposal.query(on: app.db).filter(\.$round.$id == round.requireID()).first())
                let coordinator = try await Browser.signedIn(app, as: .coordinator)
                let mentor = try await coordinator.post("/mentoring/rounds/\(try round.requireID())",
                                                        [("mentor-\(proposal.$mentee.id)", "the-best-one")])
                #expect(mentor.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("mentor-\(proposal.$mentee.id)", in: mentor.text) != nil)
                let programme = try await app.makeProgramme(.personToPerson)
                let status = try await coordinator.post("/mentoring/programmes/\(try programme.requireID())/status", [("open", "perhaps")])
                #expect(status.status == .badRequest)
                #expect(try await MentoringProgramme.find(programme.requireID(), on: app.db)?.status == "open")
            }
        }
    }
}
