import LivingTogetherCore
import Vapor

/// What every page needs to know about its request: language, user, CSRF token, where it is.
struct PageContext {
    let t: Translator
    let user: CurrentUser?
    let csrfToken: String
    let path: String
    let query: String?
    var flash: String?
    var language: Language { t.language }

    /// The hidden field every form carries.
    var csrfField: HTML { "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrfToken)\">" }

    /// The current address, path and query, for "come back here" links.
    var here: String { query.map { "\(path)?\($0)" } ?? path }
}

enum LanguageCookie {
    static let name = "lt_lang"
}

enum Flash {
    static let cookieName = "lt_flash"
    /// Only known message keys travel in the cookie.
    static let allowed: Set<String> = [
        "flash.signedIn", "flash.signedOut", "flash.invitationSent", "flash.invitationAccepted", "flash.invitationRevoked",
        "flash.passwordResetSent", "flash.passwordChanged", "flash.tokenRevoked", "flash.roleChanged", "flash.memberRemoved",
        "flash.profileSaved", "flash.organisationCreated", "flash.languageChanged", "flash.assessmentSaved", "flash.assessmentSubmitted",
        "flash.followUpAction", "flash.followUpMentor", "flash.frameworkUploaded", "flash.reportPublished", "flash.reportUnpublished",
        "flash.catalogueUploaded", "flash.cataloguePublished", "flash.catalogueWithdrawn", "flash.requestSent", "flash.decisionSaved",
        "flash.requestRevised", "flash.planPublished", "flash.planUnpublished", "flash.actionSaved", "flash.partnerAdded", "flash.indicatorAdded",
        "flash.updateAdded", "flash.valueAdded", "flash.partnerRemoved", "flash.valueRemoved",
        "flash.programmeCreated", "flash.staffAdded", "flash.programmeOpened", "flash.programmeClosed", "flash.enrolled",
        "flash.participantErased", "flash.roundProposed", "flash.roundConfirmed", "flash.roundSaved", "flash.stageChanged",
        "flash.outcomeRecorded", "flash.logAdded", "flash.agreementSaved", "flash.mentoringPlanSaved", "flash.evaluationSaved",
        "flash.networkCreated", "flash.memberAdded", "flash.sessionAdded", "flash.attendanceSaved",
        "flash.practiceCreated", "flash.practiceSaved", "flash.practiceMoved", "flash.practiceVerified", "flash.transferTold", "flash.practiceCommented",
        "flash.eventCancelled", "flash.eventCreated", "flash.eventMoved", "flash.eventNothingToCancel", "flash.eventRegistered",
        "flash.eventSaved", "flash.eventWaiting", "flash.followUpSent", "flash.materialAdded", "flash.materialRemoved",
        "flash.sessionCancelled", "flash.sessionRegistered", "flash.sessionWaiting",
        "flash.accessGranted", "flash.accessRevoked", "flash.activityAlready", "flash.activityCancelled", "flash.activityCreated",
        "flash.activityRegistered", "flash.activitySaved", "flash.activityWaiting", "flash.attendanceRecorded",
        "flash.participationErased", "flash.signUpSent",
    ]

    static func set(_ key: String, on response: Response) {
        response.cookies[cookieName] = HTTPCookies.Value(string: key, maxAge: 60, path: "/", isHTTPOnly: true, sameSite: .lax)
    }
}

extension Request {
    /// The user's language: the choice remembered in this browser, else the one on their account,
    /// else the browser's Accept-Language, else English.
    var language: Language {
        if let stored = storage[LanguageKey.self] { return stored }
        let lang = cookies[LanguageCookie.name].flatMap { Language(rawValue: $0.string) }
            ?? currentUser?.language.flatMap(Language.init(rawValue:))
            ?? Language.negotiate(headers.first(name: .acceptLanguage))
        storage[LanguageKey.self] = lang
        return lang
    }

    var t: Translator { Translator(language) }

    func page() -> PageContext {
        var flash: String? = nil
        if let key = cookies[Flash.cookieName]?.string, Flash.allowed.contains(key) { flash = key }
        return PageContext(t: t, user: currentUser, csrfToken: CSRF.token(for: self), path: url.path, query: url.query, flash: flash)
    }
}

private struct LanguageKey: StorageKey { typealias Value = Language }

/// Clears the flash cookie once a page has shown it.
struct FlashMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.cookies[Flash.cookieName] != nil, request.method == .GET,
           response.headers.contentType == .html, response.cookies[Flash.cookieName] == nil {
            response.cookies[Flash.cookieName] = .expired
        }
        return response
    }
}
