// Runs the files that start a stack and a fleet of processes of their own (the short soak) after every other file.
// Jest's default order puts the slowest files first, which ran the soak's six hub processes and second broker
// beside the whole rest of the suite; on a busy 2-core machine that starved the neighbouring tests. Last in the
// queue, the soak overlaps at most the one file the other worker is finishing.
const Sequencer = require('@jest/test-sequencer').default;

const LAST = [/[\\/]test[\\/]e2e[\\/]soak-[^\\/]*\.test\.ts$/];

class SoakLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const isLast = (t) => LAST.some((re) => re.test(t.path));
    return [...sorted.filter((t) => !isLast(t)), ...sorted.filter(isLast)];
  }
}

module.exports = SoakLastSequencer;
