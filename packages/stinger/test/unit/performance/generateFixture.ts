// Writes contracts/test/fixtures/performance-statement.json. Run: node packages/stinger/test/unit/performance/generateFixture.ts
import { writeFileSync } from "node:fs";
import { PERFORMANCE_FIXTURE_URL, performanceFixture } from "./fixture.ts";

writeFileSync(PERFORMANCE_FIXTURE_URL, `${JSON.stringify(performanceFixture(), null, 2)}\n`);
