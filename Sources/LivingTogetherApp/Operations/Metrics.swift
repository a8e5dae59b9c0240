import Synchronization
import Vapor

/// Request counts and durations by route, in the Prometheus text format at /metrics.
final class Metrics: Sendable {
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    private struct Series {
        var count = 0
        var sum = 0.0
        var bucketCounts = [Int](repeating: 0, count: Metrics.buckets.count)
    }
    private struct Key: Hashable { var method: String; var route: String; var status: Int }
    private let series = Mutex<[Key: Series]>([:])
    private let started = Date()

    func record(method: String, route: String, status: Int, seconds: Double) {
        series.withLock { all in
            var s = all[Key(method: method, route: route, status: status)] ?? Series()
            s.count += 1
            s.sum += seconds
            for (i, b) in Self.buckets.enumerated() where seconds <= b { s.bucketCounts[i] += 1 }
            all[Key(method: method, route: route, status: status)] = s
        }
    }

    func exposition() -> String {
        let snapshot = series.withLock { $0 }
        var out = "# HELP http_requests_total HTTP requests answered, by method, route and status.\n# TYPE http_requests_total counter\n"
        let keys = snapshot.keys.sorted { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }
        func labels(_ k: Key) -> String {
            "method=\"\(k.method)\",route=\"\(k.route.replacingOccurrences(of: "\"", with: "\\\""))\",status=\"\(k.status)\""
        }
        for k in keys { out += "http_requests_total{\(labels(k))} \(snapshot[k]?.count ?? 0)\n" }
        out += "# HELP http_request_duration_seconds Time to answer HTTP requests, by method, route and status.\n# TYPE http_request_duration_seconds histogram\n"
        for k in keys {
            let s = snapshot[k]!
            for (i, b) in Self.buckets.enumerated() {
                out += "http_request_duration_seconds_bucket{\(labels(k)),le=\"\(b)\"} \(s.bucketCounts[i])\n"
            }
            out += "http_request_duration_seconds_bucket{\(labels(k)),le=\"+Inf\"} \(s.count)\n"
            out += "http_request_duration_seconds_sum{\(labels(k))} \(s.sum)\n"
            out += "http_request_duration_seconds_count{\(labels(k))} \(s.count)\n"
        }
        out += "# HELP process_uptime_seconds Seconds since the process started.\n# TYPE process_uptime_seconds gauge\n"
        out += "process_uptime_seconds \(Date().timeIntervalSince(started))\n"
        return out
    }
}

struct MetricsKey: StorageKey { typealias Value = Metrics }

extension Application {
    var metrics: Metrics {
        guard let m = storage[MetricsKey.self] else { fatalError("Metrics are set up in configure") }
        return m
    }
}

/// Records every request under its route pattern ("/directory/:id"), never the raw path, so that the
/// number of series stays bounded.
struct MetricsMiddleware: AsyncMiddleware {
    let metrics: Metrics
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
            metrics.record(method: request.method.rawValue, route: route, status: status, seconds: seconds)
        }
        do {
            let response = try await next.respond(to: request)
            status = Int(response.status.code)
            return response
        } catch let error as any AbortError {
            status = Int(error.status.code)
            throw error
        }
    }
}
