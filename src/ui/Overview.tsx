import { Box } from 'ink';
import type { Derived } from '../model/derivedTypes.js';
import { BatchesPanel } from './BatchesPanel.js';
import { ExecutorsPanel } from './ExecutorsPanel.js';
import type { OverviewLayout } from './layout.js';
import { PartitionsPanel } from './PartitionsPanel.js';
import { RatesPanel } from './RatesPanel.js';

/** View 1: Rates and Batches charts over the Partitions and Executors tables. */
export function Overview(props: { derived: Derived; layout: OverviewLayout }) {
  const { derived, layout } = props;
  return (
    <Box flexDirection="column">
      <Box flexDirection="row">
        <RatesPanel derived={derived} size={layout.rates} chartLines={layout.chartLines} />
        <BatchesPanel derived={derived} size={layout.batches} chartLines={layout.chartLines} />
      </Box>
      <Box flexDirection="row">
        <PartitionsPanel derived={derived} size={layout.partitions} tableRows={layout.tableRows} />
        <ExecutorsPanel derived={derived} size={layout.executors} tableRows={layout.tableRows} />
      </Box>
    </Box>
  );
}
