import type { CliCommand } from '../command';
import { verifyCommand } from './verify';
import { exportParquetCommand } from './exportParquet';
import { reportCommand } from './report';
import { exportCommand } from './export';
import { generateCommand } from './generate';
import { findingsCommand } from './findings';
import { queryCommand } from './query';
import { importCommand } from './import';
import { infoCommand } from './info';
import { timelineCommand } from './timeline';
import { sweepCommand } from './sweep';

// Every scripting command, in the order `help` lists them. Each lives in its own file.
export const commands: CliCommand[] = [importCommand, infoCommand, verifyCommand, reportCommand, exportParquetCommand, exportCommand, generateCommand, findingsCommand, sweepCommand, queryCommand, timelineCommand];
