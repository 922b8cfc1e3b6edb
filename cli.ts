import { runCliProcess } from './app/cli';

runCliProcess();
