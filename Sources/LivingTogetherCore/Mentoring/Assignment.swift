import Foundation

/// The minimum-cost assignment of rows to columns (the linear assignment problem), solved exactly by the
/// shortest augmenting path method of Jonker and Volgenant in the form Crouse (2016) describes — the method
/// behind `scipy.optimize.linear_sum_assignment`. For each row in turn a Dijkstra search over reduced costs finds
/// the cheapest alternating path to a free column; the dual prices `u`, `v` keep every reduced cost
/// non-negative, so each augmentation keeps the partial assignment optimal. O(n³) at worst, far less on ordinary
/// matrices. Buffers are flat and read through unsafe pointers.
///
/// A cost that is not finite (`.infinity`) marks a pair that is not allowed; such a pair is never chosen.
/// With an `unassignedCost`, a row may stay unassigned at that cost: this is modelled as one extra column that is
/// always free (equivalent to one dummy column per row, since free dummies are identical and a shortest path
/// never needs to pass through an occupied one), so the search cost does not double.
public enum LinearAssignment {
    public enum Failure: Error, Equatable, Sendable {
        /// The matrix has not `rows × columns` entries, or more rows than columns without an `unassignedCost`.
        case badShape
        /// This row cannot be given an allowed column while the rows before it keep theirs.
        case infeasible(row: Int)
    }

    /// The column of each row (-1: unassigned, only with `unassignedCost`). `cost` is row-major.
    public static func solve(_ cost: [Double], rows: Int, columns: Int, unassignedCost: Double? = nil) -> Result<[Int], Failure> {
        guard rows >= 0, columns >= 0, cost.count == rows * columns else { return .failure(.badShape) }
        if unassignedCost == nil && rows > columns { return .failure(.badShape) }
        if rows == 0 { return .success([]) }
        let dummy = unassignedCost.map { $0.isFinite ? $0 : Double.infinity } ?? .infinity
        let hasDummy = dummy.isFinite
        let unassigned = columns   // the dummy column's index in col4row

        var u = [Double](repeating: 0, count: rows)
        var v = [Double](repeating: 0, count: columns)
        var shortest = [Double](repeating: .infinity, count: columns)
        var path = [Int](repeating: -1, count: columns)
        var col4row = [Int](repeating: -1, count: rows)
        var row4col = [Int](repeating: -1, count: columns)
        var remaining = [Int](repeating: 0, count: columns)
        var scannedRows = [Bool](repeating: false, count: rows)
        var scannedCols = [Bool](repeating: false, count: columns)
        var failure: Failure?

        cost.withUnsafeBufferPointer { c in
        u.withUnsafeMutableBufferPointer { u in
        v.withUnsafeMutableBufferPointer { v in
        shortest.withUnsafeMutableBufferPointer { spc in
        path.withUnsafeMutableBufferPointer { path in
        col4row.withUnsafeMutableBufferPointer { col4row in
        row4col.withUnsafeMutableBufferPointer { row4col in
        remaining.withUnsafeMutableBufferPointer { remaining in
        scannedRows.withUnsafeMutableBufferPointer { SR in
        scannedCols.withUnsafeMutableBufferPointer { SC in
            for curRow in 0..<rows {
                // Dijkstra over the columns from curRow, until a free column (or the dummy) is reached.
                var minVal = 0.0
                var numRemaining = columns
                for it in 0..<columns { remaining[it] = columns - it - 1; spc[it] = .infinity; SC[it] = false }
                for i in 0..<rows { SR[i] = false }
                var dummyCost = Double.infinity
                var dummyPath = -1
                var i = curRow
                var sink = -1
                while sink == -1 {
                    SR[i] = true
                    var lowest = Double.infinity
                    var index = -1
                    let base = minVal - u[i]
                    let rowCost = c.baseAddress! + i * columns
                    for it in 0..<numRemaining {
                        let j = remaining[it]
                        let r = base + rowCost[j] - v[j]
                        if r < spc[j] { path[j] = i; spc[j] = r }
                        let s = spc[j]
                        if s < lowest || (s == lowest && row4col[j] == -1) { lowest = s; index = it }
                    }
                    var takeDummy = false
                    if hasDummy {
                        let r = base + dummy   // the dummy's price stays 0: it is only ever a sink
                        if r < dummyCost { dummyCost = r; dummyPath = i }
                        if dummyCost < lowest || (dummyCost == lowest && (index < 0 || row4col[remaining[index]] != -1)) {
                            takeDummy = true
                            lowest = dummyCost
                        }
                    }
                    if !lowest.isFinite { failure = .infeasible(row: curRow); return }
                    minVal = lowest
                    if takeDummy { sink = unassigned; break }
                    let j = remaining[index]
                    if row4col[j] == -1 { sink = j } else { i = row4col[j] }
                    SC[j] = true
                    numRemaining -= 1
                    remaining[index] = remaining[numRemaining]
                }
                // New prices: every reduced cost stays >= 0 and the path's are 0.
                u[curRow] += minVal
                for r in 0..<rows where SR[r] && r != curRow { u[r] += minVal - spc[col4row[r]] }
                for j in 0..<columns where SC[j] { v[j] -= minVal - spc[j] }
                // Augment along the path back to curRow.
                var j = sink
                while true {
                    let r = j == unassigned ? dummyPath : path[j]
                    if j != unassigned { row4col[j] = r }
                    swap(&col4row[r], &j)
                    if r == curRow { break }
                }
            }
        }}}}}}}}}}
        if let failure { return .failure(failure) }
        return .success(col4row.map { $0 == unassigned ? -1 : $0 })
    }
}

/// The assignment of a programme round: each mentee's mentor (or none), within the mentors' capacities.
public struct RoundAssignment: Sendable, Equatable {
    /// Per mentee, the index of its mentor, or nil when it stays unassigned.
    public var mentorOf: [Int?]
    /// Mentees per mentor.
    public var load: [Int]
    /// The sum of the costs of the pairs made (unassigned mentees not counted).
    public var totalCost: Double
    /// The cost charged per unassigned mentee when solving.
    public var unassignedCost: Double

    public var unassigned: [Int] { mentorOf.indices.filter { mentorOf[$0] == nil } }
    /// The objective the solver minimised: the pairs' costs plus `unassignedCost` per unassigned mentee.
    public var objective: Double { totalCost + Double(unassigned.count) * unassignedCost }
}

/// The optimal assignment for a round of a programme, and the check of a round a coordinator adjusted.
public enum MentoringRound {
    /// The cost of leaving a mentee unassigned that makes the solver pair as many mentees as the capacities and
    /// the rules allow before it looks at costs: more than any difference one more pair can make.
    public static func defaultUnassignedCost(_ costs: [Double], mentees: Int, slots: Int) -> Double {
        var lo = Double.infinity, hi = -Double.infinity
        for c in costs where c.isFinite { lo = min(lo, c); hi = max(hi, c) }
        guard lo.isFinite else { return 1 }
        return Double(max(1, min(mentees, slots))) * (hi - lo) + abs(hi) + 1
    }

    /// The minimum-cost assignment of `mentees` mentees to `capacities.count` mentors.
    ///
    /// `costs` is row-major, mentees × mentors; a non-finite cost forbids the pair (an ineligible participant, a
    /// mentor without anything to bring on the theme). Each mentor is expanded into as many identical columns
    /// (capacity slots) as its capacity, so that the solution is exact; a mentee without an allowed mentor left
    /// stays unassigned at `unassignedCost` (by default, high enough to pair as many mentees as possible).
    public static func assign(costs: [Double], mentees: Int, capacities: [Int], unassignedCost: Double? = nil) -> RoundAssignment {
        let mentors = capacities.count
        precondition(costs.count == mentees * mentors, "costs must have mentees × mentors entries")
        var slotMentor: [Int] = []
        for (j, cap) in capacities.enumerated() where cap > 0 { slotMentor += Array(repeating: j, count: cap) }
        let slots = slotMentor.count
        let penalty = unassignedCost ?? defaultUnassignedCost(costs, mentees: mentees, slots: slots)
        var load = [Int](repeating: 0, count: mentors)
        guard mentees > 0 else { return RoundAssignment(mentorOf: [], load: load, totalCost: 0, unassignedCost: penalty) }
        guard slots > 0 else { return RoundAssignment(mentorOf: Array(repeating: nil, count: mentees), load: load, totalCost: 0, unassignedCost: penalty) }

        var expanded = [Double](repeating: .infinity, count: mentees * slots)
        costs.withUnsafeBufferPointer { src in
            slotMentor.withUnsafeBufferPointer { sm in
                expanded.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<mentees {
                        let s = src.baseAddress! + i * mentors, d = dst.baseAddress! + i * slots
                        for k in 0..<slots { let x = s[sm[k]]; d[k] = x.isFinite ? x : .infinity }
                    }
                }
            }
        }
        // With a finite penalty the dummy column makes every instance feasible.
        // A non-finite penalty (costs of NaN or infinities only) would leave no solution: everyone stays unassigned.
        guard case .success(let columns) = LinearAssignment.solve(expanded, rows: mentees, columns: slots,
                                                                  unassignedCost: penalty) else {
            return RoundAssignment(mentorOf: Array(repeating: nil, count: mentees), load: load, totalCost: 0,
                                   unassignedCost: penalty)
        }
        var mentorOf = [Int?](repeating: nil, count: mentees)
        var total = 0.0
        for (i, slot) in columns.enumerated() where slot >= 0 {
            let j = slotMentor[slot]
            mentorOf[i] = j
            load[j] += 1
            total += costs[i * mentors + j]
        }
        return RoundAssignment(mentorOf: mentorOf, load: load, totalCost: total, unassignedCost: penalty)
    }

    /// Checks a round as a coordinator adjusted it: no mentor over its capacity, no pair the rules forbid.
    /// `mentorOf` gives each mentee's mentor index or nil; `allowed(mentee, mentor)` says whether a pair may be made.
    public static func check(_ mentorOf: [Int?], capacities: [Int], allowed: (Int, Int) -> Bool) -> Result<[Int], MentoringError> {
        var load = [Int](repeating: 0, count: capacities.count)
        for (i, m) in mentorOf.enumerated() {
            guard let m else { continue }
            guard capacities.indices.contains(m), allowed(i, m) else { return .failure(.pairNotAllowed(mentee: i, mentor: m)) }
            load[m] += 1
        }
        for (j, n) in load.enumerated() where n > capacities[j] {
            return .failure(.overCapacity(mentor: j, capacity: capacities[j], assigned: n))
        }
        return .success(load)
    }
}
