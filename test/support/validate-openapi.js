// Validates an OpenAPI document read from stdin with @apidevtools/swagger-parser and prints the
// problems; exit code 0 when valid. Run by plain node: the validator's dependencies are ES modules,
// which Node 20 loads through require but jest's module runtime does not.
const SwaggerParser = require('@apidevtools/swagger-parser');

let text = '';
process.stdin.on('data', (chunk) => (text += chunk));
process.stdin.on('end', () => {
  SwaggerParser.validate(JSON.parse(text)).then(
    () => process.stdout.write('valid\n'),
    (error) => {
      process.stdout.write(`${error.message}\n`);
      process.exitCode = 1;
    },
  );
});
