import Synchronization
import Testing
@testable import GPT2

@Suite struct WorkerPoolTests {
    @Test(arguments: [1, 2, 3, 4])
    func everyIndexIsVisitedExactlyOnce(threads: Int) {
        let pool = WorkerPool(threadCount: threads)
        #expect(pool.activeThreads == threads)
        for count in [0, 1, 2, 7, 64, 1000, 50257] {
            let visits = Mutex([Int](repeating: 0, count: count))
            pool.parallelFor(count, granularity: 4) { range in
                visits.withLock { for i in range { $0[i] += 1 } }
            }
            #expect(visits.withLock { $0.allSatisfy { $0 == 1 } }, "count \(count)")
        }
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
