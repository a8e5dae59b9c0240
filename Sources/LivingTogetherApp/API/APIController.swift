import Fluent
import LivingTogetherCore
import Vapor

/// The JSON API under /api/v1, described by Resources/openapi.json. Requests authenticate with a
/// bearer token (created on the account page); reading the public directory needs none.
struct APIController {
    let openAPIDocument: String

    init() {
        do { openAPIDocument = try BundledResource.text("openapi", "json", in: "Resources") } catch { fatalError("\(error)") }
    }

    func register(_ routes: any RoutesBuilder) {
        let api = routes.grouped("api", "v1").grouped(BearerAuthenticator())
        let doc = openAPIDocument
        api.get("openapi.json") { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(string: doc))
        }
        api.get("organisations", use: listOrganisations)
        api.post("organisations", use: createOrganisation)
        api.get("organisations", ":id", use: getOrganisation)
        api.patch("organisations", ":id", use: updateOrganisation)
        api.get("organisations", ":id", "memberships", use: listMemberships)
        api.patch("organisations", ":id", "memberships", ":membershipID", use: updateMembership)
        api.delete("organisations", ":id", "memberships", ":membershipID", use: deleteMembership)
        api.post("organisations", ":id", "invitations", use: createInvitation)
        api.get("me", use: me)
        BenchmarkAPIController().register(api)
        PlanAPIController().register(api.grouped(PlanChangesMiddleware()))
        MentoringAPIController().register(api)
        KnowledgeAPIController().register(api)
        EventAPIController().register(api)
        ParticipationAPIController().register(api)
    }

    // MARK: bodies

    struct OrganisationDTO: Content {
        var id: Int
        var kind: String
        var name: String
        var country: String
        var region: String?
        var population: Int?
        var size_band: String?
        var latitude: Double?
        var longitude: Double?
        var timezone: String?
        var source_key: String?
        var born_abroad_percent: Double?
        var languages: String?
        var budget_band: String?
        var website: String?
        var description: String?
        var alternate_names: [String]
        var region_name: String?
        var url: String

        init(_ o: Organisation, regionName: String? = nil) {
            id = o.id ?? 0; kind = o.kind; name = o.name; country = o.country; region = o.region; population = o.population
            size_band = o.population.map { SizeBand.of(population: $0).rawValue }
            latitude = o.latitude; longitude = o.longitude; timezone = o.timezone; source_key = o.sourceKey
            born_abroad_percent = o.bornAbroadPercent; languages = o.languages; budget_band = o.budgetBand; website = o.website
            description = o.summary; url = SiteURL.organisation(o.id).path
            alternate_names = AlternateNames.split(o.alternateNames); region_name = regionName
        }
    }

    struct DirectoryEntryDTO: Content {
        var id: Int; var kind: String; var name: String; var country: String; var region: String?; var population: Int?; var url: String
    }

    struct OrganisationList: Content { var items: [DirectoryEntryDTO]; var page: Int; var per_page: Int; var total: Int }

    struct MembershipDTO: Content { var id: Int; var organisation_id: Int; var user_id: Int; var name: String; var email: String; var role: String }

    struct MeDTO: Content {
        var id: Int; var name: String; var email: String; var is_platform_admin: Bool; var memberships: [Entry]
        struct Entry: Content { var organisation_id: Int; var organisation_name: String; var role: String }
    }

    struct InvitationDTO: Content { var id: Int; var organisation_id: Int; var email: String; var role: String; var expires_at: Date }

    struct ValidationErrorBody: Content {
        var error: Inner
        struct Inner: Content { var status: Int; var message: String; var fields: [String: String] }
    }

    static func invalid(_ errors: FieldErrors, _ req: Request) throws -> Response {
        let t = req.t
        var fields: [String: String] = [:]
        for (f, m) in errors.entries { fields[f] = t(m.key, args: m.arguments) }
        let response = Response(status: .unprocessableEntity)
        try response.content.encode(ValidationErrorBody(error: .init(status: 422, message: t("api.invalid"), fields: fields)))
        return response
    }

    // MARK: organisations

    @Sendable func listOrganisations(req: Request) async throws -> OrganisationList {
        let index = try await req.application.directoryIndex.index(on: req.db, logger: req.logger)
        let page = index.search(DirectoryController.query(from: req))
        return OrganisationList(items: page.entries.map {
            DirectoryEntryDTO(id: $0.id, kind: $0.kind.rawValue, name: $0.name, country: $0.country, region: $0.region,
                              population: $0.population, url: SiteURL.organisation($0.id).path)
        }, page: page.page, per_page: page.perPage, total: page.total)
    }

    @Sendable func getOrganisation(req: Request) async throws -> OrganisationDTO {
        guard let org = try await Organisation.find(try req.intParameter("id"), on: req.db) else { throw Abort(.notFound, reason: "error.organisation.notFound") }
        return OrganisationDTO(org, regionName: req.application.directoryIndex.regionName(org.region, country: org.country))
    }

    @Sendable func createOrganisation(req: Request) async throws -> Response {
        try req.authorize(.administerPlatform)
        let form = try req.content.decode(DirectoryController.ProfileForm.self)
        let org = Organisation(kind: .municipality, name: "", country: "")
        let errors = DirectoryController.validate(form, into: org, countries: Set(req.application.directoryIndex.countries.map(\.code)), allowKind: true)
        guard errors.isEmpty else { return try Self.invalid(errors, req) }
        try await DirectoryController.store(org, req: req)
        let response = Response(status: .created)
        try response.content.encode(OrganisationDTO(org))
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/organisations/\(org.id ?? 0)")
        return response
    }

    /// Changes only the fields sent; the rest keep their values.
    @Sendable func updateOrganisation(req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        try req.authorize(.editProfile(organisation: id))
        guard let org = try await Organisation.find(id, on: req.db) else { throw Abort(.notFound, reason: "error.organisation.notFound") }
        let patch = try req.content.decode(DirectoryController.ProfileForm.self)
        var form = DirectoryController.ProfileForm(from: org)
        // The kind is chosen when an organisation is created; a change asked here is refused, not ignored.
        if let kind = patch.kind, kind != org.kind {
            var e = FieldErrors()
            e.add("kind", "error.kind.fixed")
            return try Self.invalid(e, req)
        }
        if let v = patch.name { form.name = v }
        if let v = patch.country { form.country = v }
        if let v = patch.region { form.region = v }
        if let v = patch.population { form.population = v }
        if let v = patch.latitude { form.latitude = v }
        if let v = patch.longitude { form.longitude = v }
        if let v = patch.born_abroad_percent { form.born_abroad_percent = v }
        if let v = patch.languages { form.languages = v }
        if let v = patch.budget_band { form.budget_band = v }
        if let v = patch.website { form.website = v }
        if let v = patch.description { form.description = v }
        if let v = patch.alternate_names { form.alternate_names = v }
        let errors = DirectoryController.validate(form, into: org, countries: Set(req.application.directoryIndex.countries.map(\.code)), allowKind: false)
        guard errors.isEmpty else { return try Self.invalid(errors, req) }
        try await DirectoryController.store(org, req: req)
        let response = Response(status: .ok)
        try response.content.encode(OrganisationDTO(org))
        return response
    }

    // MARK: memberships

    @Sendable func listMemberships(req: Request) async throws -> [MembershipDTO] {
        let id = try req.intParameter("id")
        try req.authorize(.viewMembers(organisation: id))
        return try await MembersController.memberRows(of: id, on: req.db).map {
            MembershipDTO(id: $0.membershipID, organisation_id: id, user_id: $0.userID, name: $0.name, email: $0.email, role: $0.role.rawValue)
        }
    }

    private func membership(_ req: Request) async throws -> (Int, Membership) {
        let id = try req.intParameter("id")
        try req.authorize(.manageMembers(organisation: id))
        guard let m = try await Membership.query(on: req.db).filter(\.$id == (try req.intParameter("membershipID"))).with(\.$user).first(),
              m.$organisation.id == id else { throw Abort(.notFound, reason: "error.membership.notFound") }
        return (id, m)
    }

    @Sendable func updateMembership(req: Request) async throws -> Response {
        let (id, m) = try await membership(req)
        struct Body: Content { var role: String? }
        guard let role = Role(rawValue: try req.content.decode(Body.self).role ?? "") else {
            var e = FieldErrors(); e.add("role", "error.role.unknown"); return try Self.invalid(e, req)
        }
        if role != .admin, try await MembersController.isLastAdmin(m, on: req.db) { throw Abort(.conflict, reason: "error.member.lastAdmin") }
        m.role = role.rawValue
        try await m.save(on: req.db)
        let response = Response(status: .ok)
        try response.content.encode(MembershipDTO(id: m.id ?? 0, organisation_id: id, user_id: m.$user.id, name: m.user.name, email: m.user.email, role: role.rawValue))
        return response
    }

    @Sendable func deleteMembership(req: Request) async throws -> HTTPStatus {
        let (_, m) = try await membership(req)
        if try await MembersController.isLastAdmin(m, on: req.db) { throw Abort(.conflict, reason: "error.member.lastAdmin") }
        try await m.delete(on: req.db)
        return .noContent
    }

    @Sendable func createInvitation(req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        try req.authorize(.manageMembers(organisation: id))
        guard let org = try await Organisation.find(id, on: req.db) else { throw Abort(.notFound, reason: "error.organisation.notFound") }
        struct Body: Content { var email: String?; var role: String? }
        let body = try req.content.decode(Body.self)
        switch try await MembersController.createInvitation(org: org, email: body.email ?? "", role: body.role ?? "viewer", by: try req.requireUser(), req: req) {
        case .failure(let errors): return try Self.invalid(errors, req)
        case .success(let inv):
            let response = Response(status: .created)
            try response.content.encode(InvitationDTO(id: inv.id ?? 0, organisation_id: id, email: inv.email, role: inv.role, expires_at: inv.expiresAt))
            return response
        }
    }

    @Sendable func me(req: Request) async throws -> MeDTO {
        let user = try req.requireUser()
        let memberships = try await Membership.query(on: req.db).filter(\.$user.$id == user.id).with(\.$organisation).all()
        return MeDTO(id: user.id, name: user.name, email: user.email, is_platform_admin: user.isPlatformAdmin,
                     memberships: memberships.map { .init(organisation_id: $0.$organisation.id, organisation_name: $0.organisation.name, role: $0.role) })
    }
}
