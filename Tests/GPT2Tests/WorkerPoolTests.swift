import Foundation
import Synchronization
import Testing
@testable import GPT2

@Suite struct WorkerPoolTests {
    @Test(arguments: [1, 2, 3, 4])
    func everyIndexIsVisitedExactlyOnce(threads: Int) {
        let pool = WorkerPool(threadCount: threads)
        #expect(pool.activeThreads == threads)
        for count in [0, 1, 2, 7, 64, 1000, 50257] {
            let visits = Visits(count: count)
            pool.parallelFor(count, granularity: 4) { range in visits.add(range) }
            #expect(visits.allOnce, "count \(count)")
        }
    }

    /// Visit counts behind an NSLock (which the thread sanitizer understands).
    final class Visits: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int]

        init(count: Int) { counts = Array(repeating: 0, count: count) }

        func add(_ range: Range<Int>) { lock.withLock { for i in range { counts[i] += 1 } } }

        var allOnce: Bool { lock.withLock { counts.allSatisfy { $0 == 1 } } }
    }

    @Test func chunksAreMultiplesOfTheGranularity() {
        let pool = WorkerPool(threadCount: 3)
        let misaligned = Atomic<Int>(0)
        pool.parallelFor(1001, granularity: 16) { range in
            if range.lowerBound % 16 != 0 { misaligned.add(1, ordering: .relaxed) }
        }
        #expect(misaligned.load(ordering: .relaxed) == 0)
    }

    @Test func manyShortLoopsInARowAllComplete() {
        let pool = WorkerPool(threadCount: 2)
        let total = Atomic<Int>(0)
        for _ in 0..<2_000 {
            pool.run { _ in total.add(1, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 4_000)
    }

    @Test func aPoolThatParkedWakesUpAndShutsDown() async throws {
        var pool: WorkerPool? = WorkerPool(threadCount: 2)
        try await Task.sleep(for: .milliseconds(300))  // long enough for the worker to park
        let total = Atomic<Int>(0)
        pool?.run { _ in total.add(1, ordering: .relaxed) }
        #expect(total.load(ordering: .relaxed) == 2)
        pool = nil  // joins the worker; a hang here fails the run
    }
}
