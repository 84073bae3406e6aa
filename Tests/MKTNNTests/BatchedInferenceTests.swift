import MKTNN
import MKTTensor
import Testing
import TestSupport

@Suite struct BatchedInferenceTests {
    @Test func concatenatesBatchesInOrderWithoutATape() {
        let x = random([7, 3], seed: 5)
        var ranges: [Range<Int>] = [], done: [Int] = []
        let (_, grads) = Tape.valueAndGradient(at: [x]) { p in
            let y = BatchedInference.map(count: 7, batchSize: 3, progress: { done.append($0) }) { rows in
                ranges.append(rows)
                return p[0].slice(axis: 0, rows) * 2
            }
            #expect(!y.isTracked)
            #expect(y.shape == [7, 3])
            #expect(y.scalars == (x * 2).scalars)
            return p[0].sum()
        }
        #expect(ranges == [0..<3, 3..<6, 6..<7])
        #expect(done == [3, 6, 7])
        #expect(grads[0].scalars.allSatisfy { $0 == 1 })
        // A batch size below 1 runs one row at a time.
        #expect(BatchedInference.map(count: 2, batchSize: 0) { rows in x.slice(axis: 0, rows) }.scalars
                == x.slice(axis: 0, 0..<2).scalars)
    }
}
