import ConsoleUI
import ECGridKit
import Testing

@Suite("The record pane and what a move redraws")
struct RecordPaneTests {
    @Test("Enter reads the selected user; the record shows what the server has; a move leaves it; Enter again cancels the old read")
    func record() {
        var state = loadedState(width: 120, height: 40)
        state.press(.down)
        let effects = state.press(.enter)
        guard case .readTargets(let request, let ids)? = effects.last else {
            Issue.record("Enter asked for nothing: \(effects)")
            return
        }
        #expect(ids == [40002])
        #expect(state.screen.contains("User 40002: reading from the server"))
        var fresh = state.user(40002)!
        fresh.email = "fresh@x.example"
        fresh.company = "Acme Freight"
        fresh.lockoutStatus = true
        fresh.timeOut = 900
        fresh.created = ECGridDate(parsing: "2024-03-15T10:22:00.1234567Z")
        state.update(.targetRead(request: request, userId: 40002, .success(fresh)))
        let screen = state.screen
        #expect(screen.contains("User 40002 · user.1 · as the server has it"))
        #expect(screen.contains("Acme Freight"))
        #expect(screen.contains("LOCKED OUT"))
        #expect(screen.contains("2024-03-15T10:22:00.1234567Z"))
        // Moving on leaves the record where it is.
        state.press(.down, .down)
        #expect(state.screen.contains("User 40002 · user.1 · as the server has it"))
        // Enter on another user cancels the read still pending for the first, if any, and reads the new one.
        let again = state.press(.enter)
        #expect(again.first == .cancelRead(request: request))
        guard case .readTargets(let second, let secondIds)? = again.last else {
            Issue.record("no read for the second Enter")
            return
        }
        #expect(secondIds == [40004])
        // An answer to the old request changes nothing; a failure of the new one is shown.
        state.update(.targetRead(request: request, userId: 40002, .success(fresh)))
        #expect(state.screen.contains("User 40004: reading from the server"))
        state.update(.targetRead(request: second, userId: 40004, .failure(Failure(ECGridError(.timeout, request: "GET /v2/users/40004")))))
        #expect(state.screen.contains("User 40004: GET /v2/users/40004 · no answer in time"))
        #expect(state.screen.contains("No answer in time"))
    }

    @Test("a move changes only the pointer, ID and login cells of the two rows involved", arguments: [(80, 24), (100, 30), (160, 50)])
    func moveIsSmall(width: Int, height: Int) {
        var state = loadedState(width: width, height: height)
        state.press(.down)
        let before = state.render()
        state.press(.down)
        let after = state.render()
        let columns = ConsoleState.userColumns(width - 2)
        let highlighted = 1 + columns[0] + columns[1] + 1 + columns[2]
        var changed: [(Int, Int)] = []
        for y in 0..<height {
            for x in 0..<width where before[x, y] != after[x, y] { changed.append((x, y)) }
        }
        #expect(!changed.isEmpty)
        #expect(Set(changed.map(\.1)) == [5, 6], "rows changed: \(Set(changed.map(\.1)).sorted())")
        #expect(changed.allSatisfy { $0.0 < highlighted }, "columns changed up to \(changed.map(\.0).max() ?? 0), highlight ends at \(highlighted)")
    }
}
