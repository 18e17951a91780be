// Prebuilt handler code for the synth benchmark: only its asset is synthesized, it never runs.
exports.handler = async () => ({ Status: 'SUCCEEDED' });
