import Vapor

/// Every page route of the site, used both to register routes and to build links, so that no address
/// is written twice. A case given `nil` for an id stands for the route's pattern (`:id`).
enum SiteURL: Equatable {
    case home
    case language
    case privacy
    case stylesheet
    case script
    // Directory
    case directory
    case organisation(Int?)
    case organisationEdit(Int?)
    case organisationNew
    case members(Int?)
    case invitations(Int?)
    case invitationRevoke(Int?, Int?)
    case memberRole(Int?, Int?)
    case memberRemove(Int?, Int?)
    // Accounts
    case signIn
    case signOut
    case signUp
    case passwordForgot
    case passwordReset(String?)
    case invitation(String?)
    case account
    case accountTokens
    case accountTokenRevoke(Int?)
    case adminOutbox
    // Benchmarks
    case benchmarks
    case frameworkUpload
    case framework(String?)
    case frameworkDownload(String?)
    case assessments
    case assessment(Int?)
    case assessmentSubmit(Int?)
    case assessmentReport(Int?)
    case assessmentPublish(Int?)
    case assessmentDelete(Int?)
    case assessmentHistory(Int?)
    case assessmentFollowUps(Int?)
    case assessmentsExport(Int?)
    // Plans
    case plans
    case catalogueUpload
    case catalogue(Int?)
    case catalogueStatus(Int?)
    case uptakeNew(Int?)
    case catalogueOverview(Int?)
    case catalogueOverviewExport(Int?)
    case uptakeRequest(Int?)
    case uptakeDecide(Int?)
    case uptakeRevise(Int?)
    case plan(Int?)
    case planPublish(Int?)
    case planActionNew(Int?)
    case planReport(Int?)
    case planExport(Int?)
    case planAction(Int?)
    case planActionEdit(Int?)
    case planActionPartners(Int?)
    case planActionPartnerRemove(Int?, Int?)
    case indicatorValueRemove(Int?)
    case planActionIndicators(Int?)
    case planActionUpdates(Int?)
    case indicatorValues(Int?)
    // Operations
    case mentoring
    case programmeNew
    case programme(Int?)
    case programmeStaff(Int?)
    case programmeStatus(Int?)
    case programmeEnrol(Int?)
    case programmeFigures(Int?)
    case programmeRounds(Int?)
    case round(Int?)
    case roundConfirm(Int?)
    case participant(Int?)
    case participantExport(Int?)
    case participantErase(Int?)
    case pair(Int?)
    case pairStage(Int?)
    case pairOutcome(Int?)
    case pairLog(Int?)
    case pairAgreement(Int?)
    case pairPlan(Int?)
    case pairEvaluation(Int?)
    case networks
    case networkNew
    case network(Int?)
    case networkMembers(Int?)
    case networkSessions(Int?)
    case sessionAttendance(Int?)
    // Knowledge
    case knowledge
    case practice(String?)
    case knowledgeExportJSON
    case knowledgeExportCSV
    case practiceNew
    case practiceEdit(String?)
    case practiceStatus(String?)
    case practiceVerify(String?)
    case practiceComments(String?)
    case knowledgeReview
    case practiceTransfers(String?)
    // Knowledge: events
    case events
    case eventNew
    case agenda
    case agendaFeedRenew
    case agendaFeed(String?)
    case event(String?)
    case eventEdit(String?)
    case eventStatus(String?)
    case eventCalendar(String?)
    case eventFrabXML(String?)
    case eventFrabJSON(String?)
    case eventRegister(String?)
    case eventCancel(String?)
    case eventRegistrations(String?)
    case eventRegistrationsCSV(String?)
    case eventFollowUp(String?)
    case session(String?, String?)
    case sessionCalendar(String?, String?)
    case sessionRegister(String?, String?)
    case sessionCancel(String?, String?)
    case sessionMaterials(String?, String?)
    case sessionMaterialRemove(String?, String?)
    // Participation
    case participation
    case participationManage
    case activityNew
    case activity(Int?)
    case activityEdit(Int?)
    case activityCalendar(Int?)
    case activityRegister(Int?)
    case activityCancel(Int?)
    case activityAttendance(Int?)
    case activityFigures(Int?)
    case activityFiguresCSV(Int?)
    case participationMunicipality(Int?)
    case participationMunicipalityCSV(Int?)
    case participationHours
    case participationProof
    case participationExport
    case participationErase
    case participationAccess
    case participationAccessRevoke(Int?)
    case participationPeople
    case participationPerson(Int?)

    case livez, healthz, metrics

    private enum Segment { case constant(String), parameter(String, String?) }

    private var segments: [Segment] {
        func id(_ name: String, _ value: Int?) -> Segment { .parameter(name, value.map(String.init)) }
        switch self {
        case .home: return []
        case .language: return [.constant("language")]
        case .privacy: return [.constant("privacy")]
        case .stylesheet: return [.constant("static"), .constant("site.css")]
        case .script: return [.constant("static"), .constant("site.js")]
        case .directory: return [.constant("directory")]
        case .organisation(let o): return [.constant("directory"), id("id", o)]
        case .organisationEdit(let o): return [.constant("directory"), id("id", o), .constant("edit")]
        case .organisationNew: return [.constant("organisations"), .constant("new")]
        case .members(let o): return [.constant("directory"), id("id", o), .constant("members")]
        case .invitations(let o): return [.constant("directory"), id("id", o), .constant("invitations")]
        case .invitationRevoke(let o, let i): return [.constant("directory"), id("id", o), .constant("invitations"), id("invitationID", i), .constant("revoke")]
        case .memberRole(let o, let m): return [.constant("directory"), id("id", o), .constant("members"), id("membershipID", m), .constant("role")]
        case .memberRemove(let o, let m): return [.constant("directory"), id("id", o), .constant("members"), id("membershipID", m), .constant("remove")]
        case .signIn: return [.constant("sign-in")]
        case .signOut: return [.constant("sign-out")]
        case .signUp: return [.constant("sign-up")]
        case .passwordForgot: return [.constant("password"), .constant("forgot")]
        case .passwordReset(let token): return [.constant("password"), .constant("reset"), .parameter("token", token)]
        case .invitation(let token): return [.constant("join"), .parameter("token", token)]
        case .account: return [.constant("account")]
        case .accountTokens: return [.constant("account"), .constant("tokens")]
        case .accountTokenRevoke(let t): return [.constant("account"), .constant("tokens"), id("tokenID", t), .constant("revoke")]
        case .adminOutbox: return [.constant("admin"), .constant("outbox")]
        case .benchmarks: return [.constant("benchmarks")]
        case .frameworkUpload: return [.constant("benchmarks"), .constant("upload")]
        case .framework(let key): return [.constant("benchmarks"), .parameter("key", key)]
        case .frameworkDownload(let key): return [.constant("benchmarks"), .parameter("key", key), .constant("download")]
        case .assessments: return [.constant("assessments")]
        case .assessment(let a): return [.constant("assessments"), id("assessmentID", a)]
        case .assessmentSubmit(let a): return [.constant("assessments"), id("assessmentID", a), .constant("submit")]
        case .assessmentReport(let a): return [.constant("assessments"), id("assessmentID", a), .constant("report")]
        case .assessmentPublish(let a): return [.constant("assessments"), id("assessmentID", a), .constant("publish")]
        case .assessmentDelete(let a): return [.constant("assessments"), id("assessmentID", a), .constant("delete")]
        case .assessmentHistory(let a): return [.constant("assessments"), id("assessmentID", a), .constant("history")]
        case .assessmentFollowUps(let a): return [.constant("assessments"), id("assessmentID", a), .constant("follow-ups")]
        case .assessmentsExport(let o): return [.constant("directory"), id("id", o), .constant("assessments"), .constant("export")]
        case .plans: return [.constant("plans")]
        case .catalogueUpload: return [.constant("plans"), .constant("catalogues"), .constant("upload")]
        case .catalogue(let c): return [.constant("plans"), .constant("catalogues"), id("catalogueID", c)]
        case .catalogueStatus(let c): return [.constant("plans"), .constant("catalogues"), id("catalogueID", c), .constant("status")]
        case .uptakeNew(let c): return [.constant("plans"), .constant("catalogues"), id("catalogueID", c), .constant("request")]
        case .catalogueOverview(let c): return [.constant("plans"), .constant("catalogues"), id("catalogueID", c), .constant("overview")]
        case .catalogueOverviewExport(let c): return [.constant("plans"), .constant("catalogues"), id("catalogueID", c), .constant("overview"), .constant("export")]
        case .uptakeRequest(let r): return [.constant("plans"), .constant("requests"), id("requestID", r)]
        case .uptakeDecide(let r): return [.constant("plans"), .constant("requests"), id("requestID", r), .constant("decide")]
        case .uptakeRevise(let r): return [.constant("plans"), .constant("requests"), id("requestID", r), .constant("revise")]
        case .plan(let o): return [.constant("directory"), id("id", o), .constant("plan")]
        case .planPublish(let o): return [.constant("directory"), id("id", o), .constant("plan"), .constant("publish")]
        case .planActionNew(let o): return [.constant("directory"), id("id", o), .constant("plan"), .constant("actions"), .constant("new")]
        case .planReport(let o): return [.constant("directory"), id("id", o), .constant("plan"), .constant("report")]
        case .planExport(let o): return [.constant("directory"), id("id", o), .constant("plan"), .constant("export")]
        case .planAction(let a): return [.constant("plan-actions"), id("actionID", a)]
        case .planActionEdit(let a): return [.constant("plan-actions"), id("actionID", a), .constant("edit")]
        case .planActionPartners(let a): return [.constant("plan-actions"), id("actionID", a), .constant("partners")]
        case .planActionPartnerRemove(let a, let o): return [.constant("plan-actions"), id("actionID", a), .constant("partners"), id("partnerID", o), .constant("remove")]
        case .indicatorValueRemove(let v): return [.constant("indicator-values"), id("valueID", v), .constant("remove")]
        case .planActionIndicators(let a): return [.constant("plan-actions"), id("actionID", a), .constant("indicators")]
        case .planActionUpdates(let a): return [.constant("plan-actions"), id("actionID", a), .constant("updates")]
        case .indicatorValues(let i): return [.constant("plan-indicators"), id("indicatorID", i), .constant("values")]
        case .mentoring: return [.constant("mentoring")]
        case .programmeNew: return [.constant("mentoring"), .constant("programmes"), .constant("new")]
        case .programme(let p): return [.constant("mentoring"), .constant("programmes"), id("programmeID", p)]
        case .programmeStaff(let p): return [.constant("mentoring"), .constant("programmes"), id("programmeID", p), .constant("staff")]
        case .programmeStatus(let p): return [.constant("mentoring"), .constant("programmes"), id("programmeID", p), .constant("status")]
        case .programmeEnrol(let p): return [.constant("mentoring"), .constant("programmes"), id("programmeID", p), .constant("enrol")]
        case .programmeFigures(let p): return [.constant("mentoring"), .constant("programmes"), id("programmeID", p), .constant("figures"), .constant("export")]
        case .programmeRounds(let p): return [.constant("mentoring"), .constant("programmes"), id("programmeID", p), .constant("rounds")]
        case .round(let r): return [.constant("mentoring"), .constant("rounds"), id("roundID", r)]
        case .roundConfirm(let r): return [.constant("mentoring"), .constant("rounds"), id("roundID", r), .constant("confirm")]
        case .participant(let m): return [.constant("mentoring"), .constant("participants"), id("participantID", m)]
        case .participantExport(let m): return [.constant("mentoring"), .constant("participants"), id("participantID", m), .constant("export")]
        case .participantErase(let m): return [.constant("mentoring"), .constant("participants"), id("participantID", m), .constant("erase")]
        case .pair(let p): return [.constant("mentoring"), .constant("pairs"), id("pairID", p)]
        case .pairStage(let p): return [.constant("mentoring"), .constant("pairs"), id("pairID", p), .constant("stage")]
        case .pairOutcome(let p): return [.constant("mentoring"), .constant("pairs"), id("pairID", p), .constant("outcome")]
        case .pairLog(let p): return [.constant("mentoring"), .constant("pairs"), id("pairID", p), .constant("logbook")]
        case .pairAgreement(let p): return [.constant("mentoring"), .constant("pairs"), id("pairID", p), .constant("agreement")]
        case .pairPlan(let p): return [.constant("mentoring"), .constant("pairs"), id("pairID", p), .constant("plan")]
        case .pairEvaluation(let p): return [.constant("mentoring"), .constant("pairs"), id("pairID", p), .constant("evaluation")]
        case .networks: return [.constant("learning-networks")]
        case .networkNew: return [.constant("learning-networks"), .constant("new")]
        case .network(let n): return [.constant("learning-networks"), id("networkID", n)]
        case .networkMembers(let n): return [.constant("learning-networks"), id("networkID", n), .constant("members")]
        case .networkSessions(let n): return [.constant("learning-networks"), id("networkID", n), .constant("sessions")]
        case .sessionAttendance(let s): return [.constant("learning-sessions"), id("sessionID", s), .constant("attendance")]
        case .knowledge: return [.constant("knowledge")]
        case .practice(let slug): return [.constant("knowledge"), .parameter("slug", slug)]
        case .knowledgeExportJSON: return [.constant("knowledge"), .constant("library.json")]
        case .knowledgeExportCSV: return [.constant("knowledge"), .constant("library.csv")]
        case .practiceNew: return [.constant("knowledge"), .constant("new")]
        case .practiceEdit(let slug): return [.constant("knowledge"), .parameter("slug", slug), .constant("edit")]
        case .practiceStatus(let slug): return [.constant("knowledge"), .parameter("slug", slug), .constant("status")]
        case .practiceVerify(let slug): return [.constant("knowledge"), .parameter("slug", slug), .constant("verify")]
        case .practiceComments(let slug): return [.constant("knowledge"), .parameter("slug", slug), .constant("comments")]
        case .knowledgeReview: return [.constant("knowledge"), .constant("review")]
        case .practiceTransfers(let slug): return [.constant("knowledge"), .parameter("slug", slug), .constant("transfers")]
        case .events: return [.constant("events")]
        case .eventNew: return [.constant("events"), .constant("new")]
        case .agenda: return [.constant("events"), .constant("agenda")]
        case .agendaFeedRenew: return [.constant("events"), .constant("agenda"), .constant("feed")]
        case .agendaFeed(let t): return [.constant("events"), .constant("agenda"), .parameter("token", t), .constant("calendar.ics")]
        case .event(let e): return [.constant("events"), .parameter("slug", e)]
        case .eventEdit(let e): return [.constant("events"), .parameter("slug", e), .constant("edit")]
        case .eventStatus(let e): return [.constant("events"), .parameter("slug", e), .constant("status")]
        case .eventCalendar(let e): return [.constant("events"), .parameter("slug", e), .constant("calendar.ics")]
        case .eventFrabXML(let e): return [.constant("events"), .parameter("slug", e), .constant("schedule.xml")]
        case .eventFrabJSON(let e): return [.constant("events"), .parameter("slug", e), .constant("schedule.json")]
        case .eventRegister(let e): return [.constant("events"), .parameter("slug", e), .constant("registration")]
        case .eventCancel(let e): return [.constant("events"), .parameter("slug", e), .constant("registration"), .constant("cancel")]
        case .eventRegistrations(let e): return [.constant("events"), .parameter("slug", e), .constant("registrations")]
        case .eventRegistrationsCSV(let e): return [.constant("events"), .parameter("slug", e), .constant("registrations.csv")]
        case .eventFollowUp(let e): return [.constant("events"), .parameter("slug", e), .constant("follow-up")]
        case .session(let e, let s): return [.constant("events"), .parameter("slug", e), .constant("sessions"), .parameter("session", s)]
        case .sessionCalendar(let e, let s): return Self.session(e, s).segments + [.constant("calendar.ics")]
        case .sessionRegister(let e, let s): return Self.session(e, s).segments + [.constant("registration")]
        case .sessionCancel(let e, let s): return Self.session(e, s).segments + [.constant("registration"), .constant("cancel")]
        case .sessionMaterials(let e, let s): return Self.session(e, s).segments + [.constant("materials")]
        case .sessionMaterialRemove(let e, let s): return Self.session(e, s).segments + [.constant("materials"), .constant("remove")]
        case .participation: return [.constant("participation")]
        case .participationManage: return [.constant("participation"), .constant("manage")]
        case .activityNew: return [.constant("participation"), .constant("activities"), .constant("new")]
        case .activity(let a): return [.constant("participation"), .constant("activities"), id("activityID", a)]
        case .activityEdit(let a): return Self.activity(a).segments + [.constant("edit")]
        case .activityCalendar(let a): return Self.activity(a).segments + [.constant("calendar.ics")]
        case .activityRegister(let a): return Self.activity(a).segments + [.constant("registration")]
        case .activityCancel(let a): return Self.activity(a).segments + [.constant("registration"), .constant("cancel")]
        case .activityAttendance(let a): return Self.activity(a).segments + [.constant("attendance")]
        case .activityFigures(let a): return Self.activity(a).segments + [.constant("figures")]
        case .activityFiguresCSV(let a): return Self.activity(a).segments + [.constant("figures.csv")]
        case .participationMunicipality(let m):
            return [.constant("participation"), .constant("municipalities"), id("municipalityID", m)]
        case .participationMunicipalityCSV(let m):
            return [.constant("participation"), .constant("municipalities"), id("municipalityID", m), .constant("figures.csv")]
        case .participationHours: return [.constant("participation"), .constant("hours")]
        case .participationProof: return [.constant("participation"), .constant("hours"), .constant("proof")]
        case .participationExport: return [.constant("participation"), .constant("hours"), .constant("export.json")]
        case .participationErase: return [.constant("participation"), .constant("hours"), .constant("erase")]
        case .participationAccess: return [.constant("participation"), .constant("hours"), .constant("access")]
        case .participationAccessRevoke(let a):
            return [.constant("participation"), .constant("hours"), .constant("access"), id("accessID", a), .constant("revoke")]
        case .participationPeople: return [.constant("participation"), .constant("people")]
        case .participationPerson(let p): return [.constant("participation"), .constant("people"), id("personID", p)]
        case .livez: return [.constant("livez")]
        case .healthz: return [.constant("healthz")]
        case .metrics: return [.constant("metrics")]
        }
    }

    /// Letters, digits and "-", "_", "." (and "~" in a query): written as they are, without Foundation's encoder.
    private static func isPlain(_ value: String, tilde: Bool) -> Bool {
        value.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
                || b == 0x2E || (tilde && b == 0x7E)
        }
    }

    /// A segment of a path: ids and slugs (letters, digits, "-", "_", ".") as they are, anything else percent-encoded.
    static func pathSegment(_ value: String) -> String {
        isPlain(value, tilde: false)
            ? value : (value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? value)
    }

    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// A name or value of an address's query ("return_to=%2Fparticipation"): everything but the unreserved characters
    /// percent-encoded.
    static func queryValue(_ value: String) -> String {
        isPlain(value, tilde: true) ? value : (value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")
    }

    /// The address for links: "/directory/12/members".
    var path: String {
        "/" + segments.map { seg -> String in
            switch seg {
            case .constant(let s): return s
            case .parameter(let name, let value): return value.map(Self.pathSegment) ?? ":\(name)"
            }
        }.joined(separator: "/")
    }

    /// The pattern for registering the route.
    var components: [PathComponent] {
        segments.map { seg in
            switch seg {
            case .constant(let s): return .constant(s)
            case .parameter(let name, _): return .parameter(name)
            }
        }
    }
}

extension RoutesBuilder {
    @discardableResult
    func get(_ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        on(.GET, url.components, use: handler)
    }
    @discardableResult
    func post(_ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        on(.POST, url.components, use: handler)
    }
}

extension Request {
    func intParameter(_ name: String) throws -> Int {
        guard let s = parameters.get(name), let v = Int(s) else { throw Abort(.notFound) }
        return v
    }
}

/// The fields of an address's query ("?q=language+cafe&page=2"), read once: `+` and percent escapes decoded, the
/// first value of a repeated name kept, a value that does not decode left out. (Vapor's query decoder parses the whole
/// query again for every field it is asked for: a search page asks for ten.)
struct QueryFields {
    private var values: [String: String] = [:]

    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), values[name] == nil else { continue }
            if let value = Self.decode(parts.count > 1 ? parts[1] : "") { values[name] = value }
        }
    }

    static func decode(_ s: Substring) -> String? {
        guard s.utf8.contains(where: { $0 == 0x2B || $0 == 0x25 }) else { return String(s) }
        return s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    subscript(_ name: String) -> String? { values[name] }
    func int(_ name: String) -> Int? { values[name].flatMap { Int($0) } }
}

extension Request {
    /// The address's query fields, parsed once per request.
    var queryFields: QueryFields {
        if let q = storage[QueryFieldsKey.self] { return q }
        let q = QueryFields(url.query)
        storage[QueryFieldsKey.self] = q
        return q
    }
}

private struct QueryFieldsKey: StorageKey { typealias Value = QueryFields }
