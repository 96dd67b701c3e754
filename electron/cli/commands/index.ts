import type { CliCommand } from '../command';
import { verifyCommand } from './verify';
import { exportParquetCommand } from './exportParquet';
import { reportCommand } from './report';
import { exportCommand } from './export';
import { generateCommand } from './generate';
import { queryCommand } from './query';

// Every scripting command, in the order `help` lists them. Each lives in its own file.
export const commands: CliCommand[] = [verifyCommand, reportCommand, exportParquetCommand, exportCommand, generateCommand, queryCommand];
