/** `mosaic --version`: the version and whether the native addon is loaded. */
import { VERSION } from '../node/version.ts'

export { VERSION }

export async function versionText(): Promise<string> {
  const { nativeStatus } = await import('../crypto/native.ts')
  const st = nativeStatus()
  const native = st.loaded ? `loaded (${st.features.join(', ')})` : `not loaded (${st.error ?? 'unknown error'})`
  return `mosaic ${VERSION}\nbun ${Bun.version}\nnative: ${native}`
}
