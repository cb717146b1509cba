export default function () {
  return null;
}
