// The mentoring benchmark (run by benchmarks/matching.sh; see there). Two commands:
//
//   matching-bench suggestions [--places CSV] [--countries CSV] [--runs N] [--seed N]
//       every place of the directory CSV (or 100,518 generated ones) becomes a candidate mentor with a generated
//       city-for-all profile; times the suggestions for one mentee (median and p99 over N runs).
//   matching-bench assign --size N [--seed N] [--out FILE] [--runs N]
//       a seeded random N × N cost matrix (uniform in [0, 100)), written to FILE as raw little-endian float64
//       (row-major) for matching_reference.py; solved exactly; prints the time and the total cost.
//   matching-bench round --mentees N --mentors M [--seed N]
//       a round with capacities 1–3 and 10 % forbidden pairs, solved with capacity slots; prints the time.
//
// Output lines are `key=value` pairs, one result per line, for the shell script to read.
import Foundation
import LivingTogetherCore

func argument(_ name: String, _ fallback: String? = nil) -> String? {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

let keyFactors = ["know-the-local-context", "empower-active-residents-and-organisations", "inclusion-skills-in-the-organisation",
                  "networking-and-accessibility", "image-of-residents-with-a-migration-background"]

func suggestionsBenchmark() {
    let runs = Int(argument("--runs", "200")!) ?? 200
    var rng = SplitMix64(seed: UInt64(argument("--seed", "2024")!) ?? 2024)
    // Languages per country from the countries CSV ("nl,fr,de" → the first two letters of each).
    var languagesOf: [String: [String]] = [:]
    if let path = argument("--countries"), let text = try? String(contentsOfFile: path, encoding: .utf8) {
        for line in CSV.lines(text).dropFirst() {
            guard case .success(let f) = CSV.fields(of: line), f.count >= 7 else { continue }
            languagesOf[f[0]] = f[6].split(separator: ",").map { String($0.prefix(2)).lowercased() }.filter { !$0.isEmpty }
        }
    }
    var places: [(name: String, country: String, population: Int)] = []
    if let path = argument("--places"), let text = try? String(contentsOfFile: path, encoding: .utf8) {
        for line in CSV.lines(text).dropFirst() {
            guard case .success(let f) = CSV.fields(of: line), f.count >= 7 else { continue }
            places.append((f[1], f[2], Int(f[6]) ?? 0))
        }
    } else {
        let countries = ["BE", "NL", "DE", "FR", "IT", "ES", "PL", "GR", "LV", "FI", "SE", "PT"]
        for i in 0..<100_518 {
            places.append(("Place \(i)", countries[Int.random(in: 0..<countries.count, using: &rng)], Int.random(in: 500...2_000_000, using: &rng)))
        }
    }
    var pool = CityCandidatePool(keyFactors: keyFactors, scale: 1...5)
    let build = seconds {
        pool.reserveCapacity(places.count)
        for (i, p) in places.enumerated() {
            var levels: [String: Int] = [:]
            // Larger places tend to be further along; every place gets a level on every key factor.
            let lean = p.population > 100_000 ? 1 : 0
            for k in keyFactors { levels[k] = min(5, Int.random(in: 1...5, using: &rng) + (rng.nextUnit() < 0.3 ? lean : 0)) }
            pool.append(CityProfile(organisationID: i + 1, name: p.name, country: p.country,
                                    languages: languagesOf[p.country] ?? [], population: p.population,
                                    nationalFramework: rng.nextUnit() < 0.6 ? "\(p.country)-national" : nil,
                                    levels: levels, freeCapacity: Int.random(in: 0...3, using: &rng)))
        }
    }
    // The demo municipality as mentee: gaps on empowering residents and on the image of newcomers.
    let mentee = CityProfile(organisationID: -1, name: "Demo municipality", country: "BE", languages: ["nl"], population: 45_000,
                             nationalFramework: "BE-national",
                             levels: [keyFactors[0]: 3, keyFactors[1]: 1, keyFactors[2]: 4, keyFactors[3]: 2, keyFactors[4]: 1])
    var result: [CitySuggestion] = []
    for _ in 0..<5 { result = pool.suggestions(for: mentee, limit: 10) }   // warm up
    var times: [Double] = []
    for _ in 0..<runs { times.append(seconds { result = pool.suggestions(for: mentee, limit: 10) } * 1000) }
    times.sort()
    print(String(format: "suggestions candidates=%d runs=%d median_ms=%.3f p99_ms=%.3f max_ms=%.3f build_s=%.2f",
                 pool.count, runs, percentile(times, 0.5), percentile(times, 0.99), times.last!, build))
    for s in result.prefix(3) {
        print("  \(s.name) (score \(String(format: "%.2f", s.score))): " + s.reasons.map { $0.text("en") }.joined(separator: "; "))
    }
}

func assignBenchmark() {
    let n = Int(argument("--size", "500")!) ?? 500
    let runs = max(1, Int(argument("--runs", "1")!) ?? 1)
    var rng = SplitMix64(seed: UInt64(argument("--seed", "7")!) ?? 7)
    var costs = [Double](repeating: 0, count: n * n)
    for i in costs.indices { costs[i] = rng.nextUnit() * 100 }
    if let out = argument("--out") {
        let data = costs.withUnsafeBufferPointer { Data(buffer: $0) }   // little-endian on every platform Swift runs this on
        try! data.write(to: URL(fileURLWithPath: out))
    }
    var columns: [Int] = []
    var times: [Double] = []
    for _ in 0..<runs { times.append(seconds { columns = try! LinearAssignment.solve(costs, rows: n, columns: n).get() }) }
    times.sort()
    precondition(Set(columns).count == n, "not a permutation")
    let total = columns.enumerated().reduce(0.0) { $0 + costs[$1.offset * n + $1.element] }
    print(String(format: "assign n=%d seconds=%.6f total=%.10f", n, times[times.count / 2], total))
}

func roundBenchmark() {
    let mentees = Int(argument("--mentees", "2000")!) ?? 2000
    let mentors = Int(argument("--mentors", "1000")!) ?? 1000
    var rng = SplitMix64(seed: UInt64(argument("--seed", "11")!) ?? 11)
    let capacities = (0..<mentors).map { _ in Int.random(in: 1...3, using: &rng) }
    let costs = (0..<(mentees * mentors)).map { _ in rng.nextUnit() < 0.1 ? Double.infinity : rng.nextUnit() * 100 }
    var a: RoundAssignment!
    let t = seconds { a = MentoringRound.assign(costs: costs, mentees: mentees, capacities: capacities) }
    print(String(format: "round mentees=%d mentors=%d slots=%d seconds=%.6f assigned=%d total=%.4f",
                 mentees, mentors, capacities.reduce(0, +), t, mentees - a.unassigned.count, a.totalCost))
}

switch CommandLine.arguments.dropFirst().first {
case "suggestions": suggestionsBenchmark()
case "assign": assignBenchmark()
case "round": roundBenchmark()
default:
    FileHandle.standardError.write(Data("usage: matching-bench suggestions|assign|round [options] (see Sources/matching-bench/main.swift)\n".utf8))
    exit(2)
}
