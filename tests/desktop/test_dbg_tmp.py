from tests.desktop.test_script_editor import *  # noqa

def test_dbg(editor, qtbot, backend, project_id):
    mime = QMimeData()
    mime.setData(SCENE_MIME, b"0")
    got = []
    editor.model.moveRequested.connect(lambda a, b: got.append((a, b)))
    orig = editor.model.dropMimeData
    def spy(*a):
        print("dropMimeData", a[1:], a[3].row() if a[3].isValid() else None)
        return orig(*a)
    editor.model.dropMimeData = spy
    ev = drop(editor.table.viewport(), row_centre(editor, 2), mime)
    print("accepted", ev.isAccepted(), ev.dropAction(), got, editor.model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, editor.model.index(2,1)))
